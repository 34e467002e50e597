// Deletes an event type of the workspace.
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';

export class DeleteEventType {
  constructor(private readonly eventTypes: EventTypeRepository) {}

  async execute(input: { workspaceId: string; eventTypeId: string }): Promise<void> {
    if (!(await this.eventTypes.delete(input.workspaceId, input.eventTypeId))) {
      throw DomainError.notFound('Event type');
    }
  }
}
