// Reads one event type of a workspace, with its warnings; another workspace's is simply not found.
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeReadModel } from '../ports/event-type.read-model.js';
import type { EventTypeWithWarnings } from './event-type-warnings.js';

export class GetEventType {
  constructor(private readonly views: EventTypeReadModel) {}

  async execute(input: { workspaceId: string; eventTypeId: string }): Promise<EventTypeWithWarnings> {
    const view = await this.views.one(input.workspaceId, input.eventTypeId);
    if (!view) throw DomainError.notFound('Event type');
    return { eventType: view.eventType, warnings: view.eventType.warnings(view.teamsEnabled) };
  }
}
