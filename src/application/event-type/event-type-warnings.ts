// Pairs event types with their warnings, computed when presenting from the hosts' current connections
// (a Teams event type whose host's mailbox cannot create Teams meetings: TEAMS_LICENCE_MISSING).
import type { EventType, EventTypeWarning } from '@domain/event-type/event-type.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';

export interface EventTypeWithWarnings {
  eventType: EventType;
  warnings: EventTypeWarning[];
}

export class EventTypeWarnings {
  constructor(private readonly connections: MicrosoftConnectionRepository) {}

  async one(eventType: EventType): Promise<EventTypeWithWarnings> {
    return (await this.many(eventType.workspaceId, [eventType]))[0];
  }

  async many(workspaceId: string, eventTypes: EventType[]): Promise<EventTypeWithWarnings[]> {
    const teams = eventTypes.filter((e) => e.location.kind === 'teams');
    const hostIds = [...new Set(teams.flatMap((e) => e.hostIds))];
    const connections = hostIds.length > 0 ? await this.connections.findByMembers(workspaceId, hostIds) : [];
    const teamsEnabled = new Map(connections.map((c) => [c.memberId, c.teamsEnabled]));
    return eventTypes.map((eventType) => ({ eventType, warnings: eventType.warnings(teamsEnabled) }));
  }
}
