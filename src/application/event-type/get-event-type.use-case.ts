// Reads one event type of a workspace, with its warnings; another workspace's is simply not found.
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { EventTypeWarnings, type EventTypeWithWarnings } from './event-type-warnings.js';

export class GetEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly warnings: EventTypeWarnings,
  ) {}

  async execute(input: { workspaceId: string; eventTypeId: string }): Promise<EventTypeWithWarnings> {
    const eventType = await this.eventTypes.findById(input.workspaceId, input.eventTypeId);
    if (!eventType) throw DomainError.notFound('Event type');
    return this.warnings.one(eventType);
  }
}
