// Rows in bulk for `npm run bench:scale` and test/integration/hot-path-indexes: workspaces with members,
// bookings spread over hosts and time (a tenth cancelled) and webhook deliveries in every state, written
// with set-based SQL (`insert … select … generate_series`), not through the app. Ids are derived from the
// workspace's (md5 → uuid), so bookings and deliveries can name members and bookings without lookups.
// The steady state of a running service: past bookings and those within a day were reminded, pending
// deliveries wait for a retry a day away, so nothing seeded is due for the jobs (see `settle`).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** Workspaces to seed into, each with the webhook endpoint its deliveries go to. */
export type Targets = { workspaceId: string; endpointId: string }[];

/** New workspaces (named `${name} n`) each with one webhook endpoint; answers their ids. */
export async function seedWorkspaces(client: pg.Client, name: string, count: number): Promise<Targets> {
  const ids = Array.from({ length: count }, () => ({ workspaceId: randomUUID(), endpointId: randomUUID() }));
  await client.query(
    `insert into workspaces (id, name, return_url, reminder_minutes, created_at, updated_at)
     select w.id, $2 || ' ' || w.n, 'https://product.example.com/return', 60,
            now() - interval '800 days', now() - interval '800 days'
       from unnest($1::uuid[]) with ordinality as w(id, n)`,
    [ids.map((i) => i.workspaceId), name],
  );
  await client.query(
    `insert into webhook_endpoints (id, workspace_id, url, events, secret_key_id, secret_iv, secret_tag,
                                    secret_ciphertext, created_at)
     select w.endpoint_id, w.id, 'https://hooks.example.com/' || w.n,
            '["booking.created","booking.cancelled"]'::jsonb, 'seed', '\\x00'::bytea, '\\x00'::bytea,
            '\\x00'::bytea, now() - interval '800 days'
       from unnest($1::uuid[], $2::uuid[]) with ordinality as w(id, endpoint_id, n)`,
    [ids.map((i) => i.workspaceId), ids.map((i) => i.endpointId)],
  );
  return ids;
}

/** `count` members in each workspace, ids derived from the workspace's and `tag`. */
export async function seedMembers(
  client: pg.Client,
  targets: Targets,
  count: number,
  tag: string,
): Promise<void> {
  await client.query(
    `insert into members (id, workspace_id, email, display_name, role, status, created_at, updated_at)
     select md5(w.id::text || $3 || '-member-' || m)::uuid, w.id, $3 || m || '@' || w.n || '.seed.example',
            'Member ' || m, case when m = 1 then 'admin' else 'member' end, 'active',
            now() - interval '700 days' + m * interval '1 minute', now() - interval '700 days'
       from unnest($1::uuid[]) with ordinality as w(id, n), generate_series(1, $2::int) m`,
    [targets.map((t) => t.workspaceId), count, tag],
  );
}

export interface BookingShape {
  /** Bookings per workspace, round the members `hosts` seeded with `hostTag`. */
  perWorkspace: number;
  hosts: number;
  hostTag: string;
  /** Derives the bookings' ids (distinct per seeding of one workspace). */
  tag: string;
  /** The first booking starts this many hours before the current hour. */
  pastHours: number;
  /** Hours between two bookings of one host (at least 7: the hour of day moves by up to 6). */
  spacingHours: number;
  /** Minutes past the hour: seedings of one host's bookings that differ by 30 never overlap. */
  minute: 0 | 30;
}

/** 30-minute bookings, a tenth cancelled, in chunks of workspaces (progress, and no statement runs for long). */
export async function seedBookings(
  client: pg.Client,
  targets: Targets,
  shape: BookingShape,
  progress: (done: number) => void = () => {},
): Promise<void> {
  const ws = targets.map((t) => t.workspaceId);
  const chunk = Math.max(1, Math.floor(100_000 / Math.max(1, shape.perWorkspace)));
  for (let from = 0; from < ws.length; from += chunk) {
    await client.query(
      `insert into bookings (id, workspace_id, event_type_id, host_id, status, start_at, end_at,
                             buffer_before_minutes, buffer_after_minutes, blocked, guest, note, title, location,
                             warnings, calendar, calendar_event_id, cancelled_by, cancellation_reason, announced,
                             reminder_sent_at, created_at, updated_at, sequence, fact_sequence)
       select id, workspace_id, event_type_id, host_id, status, start_at, start_at + interval '30 minutes',
              0, 0, tstzrange(start_at, start_at + interval '30 minutes', '[)'),
              jsonb_build_object('name', 'Guest ' || i, 'email', 'guest' || i || '@example.com', 'timeZone', null),
              null, 'Seeded call', '{"kind":"teams","value":null,"joinUrl":null}'::jsonb, '[]'::jsonb,
              jsonb_build_object('eventId', 'seed-' || i, 'transactionId', md5(id::text), 'syncStatus', 'synced',
                'lastError', null, 'writtenStart', start_at, 'writtenEnd', start_at + interval '30 minutes',
                'eventCancelled', status = 'cancelled', 'obsoleteEvents', '[]'::jsonb),
              'seed-' || i, case when status = 'cancelled' then 'guest' end, null, true,
              case when start_at < now() + interval '1 day' then start_at - interval '60 minutes' end,
              start_at - interval '7 days', start_at - interval '7 days', 0, 1
         from (
           select md5(w.id::text || $7 || '-booking-' || i)::uuid as id, w.id as workspace_id,
                  md5(w.id::text || '-event-type')::uuid as event_type_id,
                  md5(w.id::text || $6 || '-member-' || (1 + i % $3::int))::uuid as host_id,
                  case when i % 10 = 0 then 'cancelled' else 'confirmed' end as status,
                  -- A host's k-th booking (k = i / hosts) is k × spacing after its first.
                  date_trunc('hour', now()) - $4::int * interval '1 hour'
                    + (i / $3::int) * $5::int * interval '1 hour' + (i % 7) * interval '1 hour'
                    + $8::int * interval '1 minute' as start_at,
                  i
             from unnest($1::uuid[]) as w(id), generate_series(0, $2::int - 1) i
         ) b`,
      [
        ws.slice(from, from + chunk),
        shape.perWorkspace,
        shape.hosts,
        shape.pastHours,
        shape.spacingHours,
        shape.hostTag,
        shape.tag,
        shape.minute,
      ],
    );
    progress(Math.min(ws.length, from + chunk) * shape.perWorkspace);
  }
}

/**
 * `perWorkspace` deliveries to each workspace's endpoint, one an hour back from `daysAgo` days ago: eight in
 * ten succeeded, one failed, one pending a retry a day away.
 */
export async function seedDeliveries(
  client: pg.Client,
  targets: Targets,
  shape: { perWorkspace: number; tag: string; daysAgo: number },
): Promise<void> {
  await client.query(
    `insert into webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, event_occurred_at,
                                     booking_id, sequence, body, status, attempts, next_attempt_at,
                                     last_attempt_at, last_response_status, last_error, attempt_log, created_at)
     select gen_random_uuid(), w.id, w.endpoint_id, md5(w.id::text || $4 || '-event-' || j)::uuid,
            'booking.created', at, booking_id, 1,
            '{"type":"booking.created","data":{"id":"' || booking_id || '","title":"Seeded call"}}',
            status, case status when 'succeeded' then 1 else 3 end,
            case when status = 'pending' then now() + interval '1 day' + j * interval '1 second' end,
            at + interval '1 second', case status when 'succeeded' then 200 else 503 end,
            case when status = 'succeeded' then null else 'HTTP 503' end, '[]'::jsonb, at
       from unnest($1::uuid[], $2::uuid[]) as w(id, endpoint_id), generate_series(0, $3::int - 1) j
       cross join lateral (select now() - $5::int * interval '1 day' - j * interval '1 hour' as at,
         md5(w.id::text || $4 || '-delivered-booking-' || j)::uuid as booking_id,
         case when j % 10 < 8 then 'succeeded' when j % 10 = 8 then 'failed' else 'pending' end as status) x`,
    [
      targets.map((t) => t.workspaceId),
      targets.map((t) => t.endpointId),
      shape.perWorkspace,
      shape.tag,
      shape.daysAgo,
    ],
  );
}

/**
 * Keeps seeded rows of these workspaces from falling due as time passes (a kept database, run again days
 * later): bookings within a day count as reminded, pending deliveries wait a day more.
 */
export async function settle(client: pg.Client, workspaceIds: string[]): Promise<void> {
  await client.query(
    `update bookings set reminder_sent_at = start_at - interval '60 minutes'
      where status = 'confirmed' and reminder_sent_at is null and start_at < now() + interval '1 day'
        and workspace_id = any($1::uuid[])`,
    [workspaceIds],
  );
  await client.query(
    `update webhook_deliveries set next_attempt_at = now() + interval '1 day'
      where status = 'pending' and next_attempt_at < now() + interval '1 hour' and workspace_id = any($1::uuid[])`,
    [workspaceIds],
  );
}
