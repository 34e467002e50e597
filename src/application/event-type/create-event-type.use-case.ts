// Creates an event type after checking its definition and that every host is a member of the workspace.
import { EventType, type EventTypeDefinition } from '@domain/event-type/event-type.js';
import { Clock } from '../ports/clock.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { IdGenerator } from '../ports/id-generator.js';
import { MemberRepository } from '../ports/member.repository.js';
import { assertHostsAreMembers } from './event-type-hosts.js';
import { EventTypeWarnings, type EventTypeWithWarnings } from './event-type-warnings.js';

export class CreateEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly members: MemberRepository,
    private readonly warnings: EventTypeWarnings,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    definition: EventTypeDefinition;
  }): Promise<EventTypeWithWarnings> {
    const eventType = EventType.create({
      ...input.definition,
      id: this.ids.next(),
      workspaceId: input.workspaceId,
      now: this.clock.now(),
    });
    await assertHostsAreMembers(this.members, eventType);
    await this.eventTypes.add(eventType);
    return this.warnings.one(eventType);
  }
}
