// The slots read model in PostgreSQL (server or PGlite): the event type and everything about its hosts in ONE
// statement, because a warm slots query is otherwise seven round trips (event type, hosts, members,
// connections, policies, calendar versions, bookings) and on the server each one costs a socket write, a
// wait and the ORM's work — most of the request's time, measured by `npm run bench:http`.
import type { EntityManager } from '@mikro-orm/core';
import {
  AvailabilityPolicy,
  type AvailabilityPolicySnapshot,
} from '@domain/availability/availability-policy.js';
import type { WorkingHours } from '@domain/availability/working-hours.js';
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import { EventType, type EventTypeSnapshot } from '@domain/event-type/event-type.js';
import { Member, type MemberSnapshot } from '@domain/member/member.js';
import { SlotsReadModel, type HostSnapshot, type SlotsQuery } from '@application/ports/slots.read-model.js';
import { isUuid } from '@domain/shared/validation.js';
import { serverStatement, ServerStatements } from './server-statements.js';
import type { WorkspaceReadCache } from './workspace-read-cache.js';

export type Row = Record<string, unknown>;

/**
 * One JSON object per host `h.member_id` (parameters in `q`): each part is a lookup by primary key or, for
 * bookings, the exclusion constraint's GiST index on (host_id, blocked) — the event type's own bookings too,
 * since a meeting lies inside its blocked time. A co-host of a collective booking finds its time in
 * booking_hosts (by that table's constraint index), with that host's own buffers. Held holds take their time
 * as bookings do (their GiST index on (host_id, blocked)), and count toward the type's limits as its bookings
 * do, with their expiry: one expired at the query's `now` is left out here, at once, before the cleanup job
 * deletes it. Nothing in the statement depends on `now` (the subscriptions' expiry comes back as
 * `liveUntil`), so its rows may be kept by the WorkspaceReadCache and still answer a later `now` rightly.
 */
const HOST = `json_build_object(
  'hostId', h.member_id,
  'member', (select row_to_json(m) from members m where m.id = h.member_id and m.workspace_id = q.ws),
  'connection', (select row_to_json(c) from microsoft_connections c
                  where c.member_id = h.member_id and c.workspace_id = q.ws),
  'policy', (select row_to_json(p) from availability_policies p
              where p.member_id = h.member_id and p.workspace_id = q.ws),
  'version', coalesce((select v.version from calendar_versions v
                        where v.member_id = h.member_id and v.workspace_id = q.ws), 0),
  'liveUntil', (select extract(epoch from max(s.expires_at)) * 1000 from graph_subscriptions s
                 where s.member_id = h.member_id and s.workspace_id = q.ws and s.status = 'active'),
  'booked', coalesce((select json_agg(json_build_array(b.id, extract(epoch from lower(b.blocked)) * 1000,
                                                       extract(epoch from upper(b.blocked)) * 1000,
                                                       extract(epoch from b.expires_at) * 1000)
                                      order by lower(b.blocked))
                        from (select id, blocked, null::timestamptz as expires_at from bookings
                               where host_id = h.member_id and workspace_id = q.ws and status = 'confirmed'
                                 and blocked && tstzrange(q.lo, q.hi, '[)')
                              union all
                              -- The time of collective bookings this host co-hosts (their organiser's is above).
                              select booking_id, blocked, null::timestamptz from booking_hosts
                               where host_id = h.member_id and not organiser and blocked && tstzrange(q.lo, q.hi, '[)')
                                 and workspace_id = q.ws
                              union all
                              select id, blocked, expires_at from holds
                               where host_id = h.member_id and workspace_id = q.ws and state = 'held'
                                 and blocked && tstzrange(q.lo, q.hi, '[)')) b),
                     '[]'::json),
  'typed', coalesce((select json_agg(json_build_array(b.id, extract(epoch from b.start_at) * 1000,
                                                      extract(epoch from b.end_at) * 1000,
                                                      extract(epoch from b.expires_at) * 1000)
                                     order by b.start_at)
                       from (select id, start_at, end_at, null::timestamptz as expires_at from bookings
                              where host_id = h.member_id and workspace_id = q.ws and status = 'confirmed'
                                and event_type_id = q.et and blocked && tstzrange(q.tlo, q.thi, '[)')
                                and start_at < q.thi and end_at > q.tlo
                             union all
                             select booking_id, start_at, end_at, null::timestamptz from booking_hosts
                              where host_id = h.member_id and workspace_id = q.ws and not organiser
                                and event_type_id = q.et and start_at < q.thi and end_at > q.tlo
                             union all
                             -- A held hold counts toward the limits as a booking of the type while live.
                             select id, start_at, end_at, expires_at from holds
                              where host_id = h.member_id and workspace_id = q.ws and state = 'held'
                                and event_type_id = q.et and blocked && tstzrange(q.tlo, q.thi, '[)')
                                and start_at < q.thi and end_at > q.tlo) b
                      -- Only an event type with limits needs them (the domain's hasLimits): none read otherwise.
                      where exists (select 1 from event_types e where e.id = q.et and e.workspace_id = q.ws
                                      and (e.limit_per_day is not null or e.limit_per_week is not null
                                           or e.minimum_gap_minutes > 0))), '[]'::json))`;

/**
 * kailenty's own claims on the rooms of the event type's pool, as `[room, id, start, end, expires]` (expires
 * null for a booking): confirmed bookings that take a room of it and held holds that keep one, by the rooms'
 * GiST indexes (the bookings' exclusion constraint, holds_room_idx), meeting times overlapping [lo, hi). A
 * hold's expiry comes back, as for the hosts' holds, so that the rows stay right for a later `now`.
 */
const ROOMS = `(select coalesce(json_agg(json_build_array(r.room_email, r.id, extract(epoch from r.start_at) * 1000,
                                                 extract(epoch from r.end_at) * 1000,
                                                 extract(epoch from r.expires_at) * 1000)
                                          order by r.start_at, r.room_email collate "C", r.id),
                         '[]'::json)
            from q, event_types e,
                 lateral (select lower(x ->> 'email') as email from jsonb_array_elements(e.rooms -> 'rooms') x) pool,
                 lateral (select room_email, id, start_at, end_at, null::timestamptz as expires_at from bookings
                           where workspace_id = q.ws and room_email = pool.email and status = 'confirmed'
                             and tstzrange(start_at, end_at, '[)') && tstzrange(q.lo, q.hi, '[)')
                          union all
                          select room_email, id, start_at, end_at, expires_at from holds
                           where workspace_id = q.ws and room_email = pool.email and state = 'held'
                             and tstzrange(start_at, end_at, '[)') && tstzrange(q.lo, q.hi, '[)')) r
           where e.id = q.id and e.workspace_id = q.ws and e.rooms is not null)`;

/**
 * The workspace's tenant-wide consent (by its primary key), for AccessOffers: with each host's connection, it is
 * what the member access read model's statement would read.
 */
const CONSENT = `(select row_to_json(t) from q, tenant_consents t where t.workspace_id = q.ws)`;

const STATEMENTS = {
  eventType: serverStatement(
    'kailenty_slots_event_type',
    `with q as (select ?::uuid as ws, ?::uuid as id, ?::timestamptz as lo, ?::timestamptz as hi,
                         ?::timestamptz as tlo, ?::timestamptz as thi, ?::uuid as et)
      select json_build_object(
        'eventType', (select row_to_json(e) from q, event_types e where e.id = q.id and e.workspace_id = q.ws),
        'hosts', (select coalesce(json_agg(${HOST} order by h.position), '[]'::json)
                    from q, event_type_hosts h where h.event_type_id = q.id and h.workspace_id = q.ws),
        'rooms', ${ROOMS},
        'consent', ${CONSENT}
      ) as snapshot`,
  ),
  hosts: serverStatement(
    'kailenty_slots_hosts',
    `with q as (select ?::uuid as ws, ?::text as ids, ?::timestamptz as lo, ?::timestamptz as hi,
                         ?::timestamptz as tlo, ?::timestamptz as thi, ?::uuid as et)
      select json_build_object(
        'hosts', (select coalesce(json_agg(${HOST} order by h.position), '[]'::json)
                    from q, unnest(string_to_array(q.ids, ',')::uuid[]) with ordinality as h(member_id, position)),
        'consent', ${CONSENT}
      ) as snapshot`,
  ),
} as const;

/**
 * Takes the hosts' connections and the workspace's consent that a read from the database brought, as the
 * current unit of work's answers for the hosts' Microsoft access (MemberAccessUnits).
 */
export interface AccessOffers {
  offer(workspaceId: string, memberId: string, connection: Row | null, consent: Row | null): void;
}

export class MikroOrmSlotsReadModel extends SlotsReadModel {
  private readonly statements: ServerStatements;

  constructor(
    em: EntityManager,
    /** Serves `cacheable` queries without a round trip while it may (null: every query reads the database). */
    private readonly cache: WorkspaceReadCache | null = null,
    /** Told of the access rows of every read that went to the database (not of one the cache may serve). */
    private readonly access: AccessOffers | null = null,
  ) {
    super();
    this.statements = new ServerStatements(em);
  }

  async forEventType(query: SlotsQuery & { eventTypeId: string }) {
    if (!isUuid(query.eventTypeId)) return null;
    const params = [query.workspaceId, query.eventTypeId, ...window(query), query.eventTypeId];
    const rows = await this.statements.cachedRows<{ snapshot: unknown }>(
      query.cacheable ? this.cache : null,
      query.workspaceId,
      STATEMENTS.eventType,
      params,
    );
    const snapshot = json(rows[0]!.snapshot) as Row;
    const row = snapshot.eventType as Row | null;
    if (!row) return null;
    if (!query.cacheable) this.offerAccess(query.workspaceId, snapshot);
    const now = query.now.getTime();
    const hosts = (snapshot.hosts as Row[]).map((h) => toHost(h, now));
    return {
      eventType: toEventType(
        row,
        hosts.map((h) => h.hostId),
      ),
      hosts,
      // A hold expired at `now` keeps no room.
      roomClaims: (snapshot.rooms as [string, string, number, number, number | null][])
        .filter(([, , , , expires]) => expires === null || Number(expires) > now)
        .map(([room, bookingId, start, end]) => ({
          room,
          bookingId,
          start: Math.round(Number(start)),
          end: Math.round(Number(end)),
        })),
    };
  }

  async forHosts(
    query: SlotsQuery & { eventTypeId: string; hostIds: readonly string[] },
  ): Promise<HostSnapshot[]> {
    const ids = query.hostIds.filter(isUuid);
    // An event type that cannot exist has no bookings: any uuid stands for it.
    const eventTypeId = isUuid(query.eventTypeId) ? query.eventTypeId : NO_ID;
    const found = new Map<string, HostSnapshot>();
    if (ids.length > 0) {
      const snapshot = await this.run('hosts', [
        query.workspaceId,
        ids.join(','),
        ...window(query),
        eventTypeId,
      ]);
      this.offerAccess(query.workspaceId, snapshot);
      for (const h of snapshot.hosts as Row[]) found.set(h.hostId as string, toHost(h, query.now.getTime()));
    }
    return query.hostIds.map((hostId) => found.get(hostId) ?? absent(hostId));
  }

  private offerAccess(workspaceId: string, snapshot: Row): void {
    const consent = snapshot.consent as Row | null;
    for (const h of snapshot.hosts as Row[])
      this.access?.offer(workspaceId, h.hostId as string, h.connection as Row | null, consent);
  }

  /** A statement prepared on the server (outside a transaction), else through the ORM (`ServerStatements`). */
  private async run(statement: keyof typeof STATEMENTS, params: string[]): Promise<Row> {
    const rows = await this.statements.rows<{ snapshot: unknown }>(STATEMENTS[statement], params);
    return json(rows[0]!.snapshot) as Row;
  }
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

function window(query: SlotsQuery): string[] {
  return [
    new Date(query.booked.start).toISOString(),
    new Date(query.booked.end).toISOString(),
    new Date(query.typeBooked.start).toISOString(),
    new Date(query.typeBooked.end).toISOString(),
  ];
}

function absent(hostId: string): HostSnapshot {
  return {
    hostId,
    member: null,
    connection: null,
    policy: null,
    calendarVersion: 0,
    subscriptionLive: false,
    booked: [],
    typeBookings: [],
  };
}

/** A json value as the driver hands it over: parsed already (pg, PGlite) or as text. */
export function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toHost(h: Row, now: number): HostSnapshot {
  return {
    hostId: h.hostId as string,
    member: h.member ? toMember(h.member as Row) : null,
    connection: h.connection ? toConnection(h.connection as Row) : null,
    policy: h.policy ? toPolicy(h.policy as Row) : null,
    calendarVersion: Number(h.version),
    subscriptionLive: h.liveUntil !== null && Number(h.liveUntil) > now,
    // A hold's expiry is its fourth element (null for a booking): an expired hold blocks nothing, and
    // counts toward no limit.
    booked: intervals(liveAt(h.booked, now)),
    typeBookings: intervals(liveAt(h.typed, now)),
  };
}

/** `[id, start, end, expires]` rows without the holds expired at `now` (a booking's expiry is null). */
function liveAt(value: unknown, now: number): [string, number, number, number | null][] {
  return (value as [string, number, number, number | null][]).filter(
    ([, , , expires]) => expires === null || Number(expires) > now,
  );
}

/** `[id, start ms, end ms]` triples (epoch seconds × 1000 come back as numerics with fractions). */
function intervals(value: unknown): { bookingId: string; start: number; end: number }[] {
  return (value as readonly [string, number, number, ...unknown[]][]).map(([bookingId, start, end]) => ({
    bookingId,
    start: Math.round(Number(start)),
    end: Math.round(Number(end)),
  }));
}

/** An `event_types` row (as `row_to_json` writes it) with its hosts in order. */
export function toEventType(r: Row, hostIds: string[]): EventType {
  return EventType.fromSnapshot({
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    slug: r.slug as string,
    title: r.title as string,
    durationMinutes: r.duration_minutes as number,
    slotIntervalMinutes: (r.slot_interval_minutes as number | null) ?? null,
    location: { kind: r.location_kind, value: r.location_value ?? null } as EventTypeSnapshot['location'],
    hostIds,
    assignment: r.assignment as EventTypeSnapshot['assignment'],
    bookingPageEnabled: Boolean(r.booking_page_enabled),
    questions: (json(r.questions ?? []) as EventTypeSnapshot['questions']) ?? [],
    limits: {
      perDay: (r.limit_per_day as number | null) ?? null,
      perWeek: (r.limit_per_week as number | null) ?? null,
    },
    minimumGapMinutes: (r.minimum_gap_minutes as number | null) ?? 0,
    rooms: (json(r.rooms ?? null) as EventTypeSnapshot['rooms']) ?? null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  });
}

function toMember(r: Row): Member {
  return Member.fromSnapshot({
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    email: r.email as string,
    displayName: r.display_name as string,
    role: r.role as MemberSnapshot['role'],
    status: r.status as MemberSnapshot['status'],
    microsoftUserId: (r.microsoft_user_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  });
}

export function toConnection(r: Row): MicrosoftConnection {
  return MicrosoftConnection.fromSnapshot({
    workspaceId: r.workspace_id as string,
    memberId: r.member_id as string,
    userId: r.user_id as string,
    tenantId: r.tenant_id as string,
    homeAccountId: r.home_account_id as string,
    mailbox: r.mailbox as string,
    timeZone: (r.time_zone as string | null) ?? null,
    windowsTimeZone: (r.windows_time_zone as string | null) ?? null,
    workingHours: (r.working_hours as WorkingHours | null) ?? null,
    teamsEnabled: Boolean(r.teams_enabled),
    status: r.status as MicrosoftConnectionSnapshot['status'],
    statusReason: (r.status_reason as string | null) ?? null,
    connectedAt: new Date(r.connected_at as string),
    lastSignInAt: new Date(r.last_sign_in_at as string),
    statusChangedAt: new Date(r.status_changed_at as string),
  });
}

function toPolicy(r: Row): AvailabilityPolicy {
  return AvailabilityPolicy.fromSnapshot({
    memberId: r.member_id as string,
    workspaceId: r.workspace_id as string,
    timeZone: r.time_zone as string,
    weekly: r.weekly,
    overrides: r.overrides,
    bufferBeforeMinutes: r.buffer_before_minutes as number,
    bufferAfterMinutes: r.buffer_after_minutes as number,
    minimumNoticeMinutes: r.minimum_notice_minutes as number,
    maxDaysAhead: (r.max_days_ahead as number | null) ?? null,
    busyStatuses: r.busy_statuses,
    extraCalendars: r.extra_calendars,
    updatedAt: new Date(r.updated_at as string),
  } as AvailabilityPolicySnapshot);
}
