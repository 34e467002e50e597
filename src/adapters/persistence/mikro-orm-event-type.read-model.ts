// The event type read model in PostgreSQL (server or PGlite): the event type, its hosts in order and their
// connections' Teams capability in ONE statement (prepared on the server), where the repositories take three
// round trips (event type, hosts, connections) and the ORM's hydration of each.
import type { EntityManager } from '@mikro-orm/core';
import { EventTypeReadModel, type EventTypeView } from '@application/ports/event-type.read-model.js';
import { isUuid } from '@domain/shared/validation.js';
import { serverStatement, ServerStatements } from './server-statements.js';
import type { WorkspaceReadCache } from './workspace-read-cache.js';
import { json, toEventType } from './mikro-orm-slots.read-model.js';

/** `hosts`: [member id, teams_enabled or null without a connection] per host, in the event type's order. */
const ONE = serverStatement(
  'kailenty_event_type_view',
  `select json_build_object(
     'eventType', row_to_json(e),
     'hosts', coalesce((select json_agg(json_build_array(h.member_id, c.teams_enabled) order by h.position)
                          from event_type_hosts h
                          left join microsoft_connections c
                            on c.member_id = h.member_id and c.workspace_id = h.workspace_id
                         where h.event_type_id = e.id and h.workspace_id = e.workspace_id), '[]'::json)
   ) as view
   from event_types e where e.workspace_id = ?::uuid and e.id = ?::uuid`,
);

export class MikroOrmEventTypeReadModel extends EventTypeReadModel {
  private readonly statements: ServerStatements;

  constructor(
    em: EntityManager,
    /** Serves reads without a round trip while it may (null: every read goes to the database). */
    private readonly cache: WorkspaceReadCache | null = null,
  ) {
    super();
    this.statements = new ServerStatements(em);
  }

  async one(workspaceId: string, eventTypeId: string): Promise<EventTypeView | null> {
    if (!isUuid(eventTypeId)) return null;
    const [row] = await this.statements.cachedRows<{ view: unknown }>(this.cache, workspaceId, ONE, [
      workspaceId,
      eventTypeId,
    ]);
    if (!row) return null;
    const view = json(row.view) as { eventType: Record<string, unknown>; hosts: [string, boolean | null][] };
    const teamsEnabled = new Map<string, boolean>();
    for (const [memberId, teams] of view.hosts) if (teams !== null) teamsEnabled.set(memberId, teams);
    return {
      eventType: toEventType(
        view.eventType,
        view.hosts.map(([memberId]) => memberId),
      ),
      teamsEnabled,
    };
  }
}
