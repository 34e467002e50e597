// The event type read model over the in-memory fakes: what the database statement joins, gathered through their ports.
import { EventTypeReadModel, type EventTypeView } from '@application/ports/event-type.read-model.js';
import type { EventTypeRepository } from '@application/ports/event-type.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';

export class InMemoryEventTypeReadModel extends EventTypeReadModel {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly connections: MicrosoftConnectionRepository,
  ) {
    super();
  }

  async one(workspaceId: string, eventTypeId: string): Promise<EventTypeView | null> {
    const eventType = await this.eventTypes.findById(workspaceId, eventTypeId);
    if (!eventType) return null;
    const connections = await this.connections.findByMembers(workspaceId, [...eventType.hostIds]);
    return { eventType, teamsEnabled: new Map(connections.map((c) => [c.memberId, c.teamsEnabled])) };
  }
}
