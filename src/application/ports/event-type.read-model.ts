// One event type as `GET /v1/event-types/{id}` shows it, read at once: the event type, its hosts in order and,
// for each host with a Microsoft connection, whether that mailbox can create Teams meetings (its warnings).
// One read instead of three keeps an authenticated read at one database round trip.
import type { EventType } from '@domain/event-type/event-type.js';

export interface EventTypeView {
  eventType: EventType;
  /** Per host that has a Microsoft connection (whatever its status): whether it can create Teams meetings. */
  teamsEnabled: ReadonlyMap<string, boolean>;
}

export abstract class EventTypeReadModel {
  /** Null when the workspace has no such event type. */
  abstract one(workspaceId: string, eventTypeId: string): Promise<EventTypeView | null>;
}
