// Changes some fields of an event type (PATCH); the result is checked as a whole before it is saved.
import type { EventTypeChanges } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { MemberRepository } from '../ports/member.repository.js';
import { assertHostsAreMembers } from './event-type-hosts.js';
import { EventTypeWarnings, type EventTypeWithWarnings } from './event-type-warnings.js';

export class UpdateEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly members: MemberRepository,
    private readonly warnings: EventTypeWarnings,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    eventTypeId: string;
    changes: EventTypeChanges;
  }): Promise<EventTypeWithWarnings> {
    const eventType = await this.eventTypes.findById(input.workspaceId, input.eventTypeId);
    if (!eventType) throw DomainError.notFound('Event type');
    eventType.change(input.changes, this.clock.now());
    if (input.changes.hostIds !== undefined) await assertHostsAreMembers(this.members, eventType);
    await this.eventTypes.save(eventType);
    return this.warnings.one(eventType);
  }
}
