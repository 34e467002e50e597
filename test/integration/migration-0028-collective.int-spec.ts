// Migration 0028 on bookings written before it: every confirmed booking gets its one booking_hosts row (its host
// as organiser, its own start, end and blocked range, buffers included), cancelled ones none, and co_hosts `[]`;
// then the new constraints hold on that data (an overlap for the host is refused in booking_hosts too), and the
// assignment check admits `collective`. Down takes it all back. On PGlite, and on PostgreSQL with DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { createOrm, type Orm } from '@adapters/persistence/orm.js';
import { execute } from '@adapters/persistence/sql.js';
import { createServerDatabase, usingPostgres } from '../support/database.js';

const BEFORE = '0027-holds';
let orm: Orm;
let server: { url: string; drop(): Promise<void> } | null = null;

beforeAll(async () => {
  if (usingPostgres) server = await createServerDatabase();
  orm = await createOrm(
    server ? { kind: 'postgres', url: server.url } : { kind: 'pglite', dataDir: 'memory://' },
  );
  await orm.migrator.up({ to: BEFORE });
});
afterAll(async () => {
  await orm?.close();
  await server?.drop();
});

const sql = <T extends object>(query: string, params: unknown[] = []) =>
  execute<T>(orm.em.fork(), query, params);

const ws = randomUUID();
const [ada, bea] = [randomUUID(), randomUUID()];
const eventType = randomUUID();
const at = (hhmm: string) => `2026-12-02T${hhmm}:00Z`;

/** A booking as the code before 0028 wrote it (the columns up to 0027), with a 10-minute buffer after. */
async function booking(hostId: string, start: string, end: string, status = 'confirmed') {
  const id = randomUUID();
  await sql(
    `insert into bookings (id, workspace_id, event_type_id, host_id, status, start_at, end_at,
       buffer_before_minutes, buffer_after_minutes, blocked, guest, title, location, calendar, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, 0, 10,
       tstzrange(?::timestamptz, ?::timestamptz + interval '10 minutes', '[)'),
       '{"name":"Jordan","email":"jordan@example.com","timeZone":null}'::jsonb, 'Intro call',
       '{"kind":"teams","value":null,"joinUrl":null}'::jsonb,
       '{"eventId":null,"transactionId":"t","syncStatus":"pending","lastError":null,"writtenStart":null,"writtenEnd":null,"eventCancelled":false,"obsoleteEvents":[]}'::jsonb,
       now(), now())`,
    [id, ws, eventType, hostId, status, start, end, start, end],
  );
  return id;
}

it('gives each confirmed booking made before it its booking_hosts row, and the constraints hold on them', async () => {
  await sql(
    `insert into workspaces (id, name, return_url, created_at, updated_at)
    values (?, 'Contoso', 'https://example.com', now(), now())`,
    [ws],
  );
  for (const [id, email] of [
    [ada, 'ada@contoso.com'],
    [bea, 'bea@contoso.com'],
  ])
    await sql(
      `insert into members (id, workspace_id, email, display_name, role, status, created_at, updated_at)
      values (?, ?, ?, ?, 'member', 'active', now(), now())`,
      [id, ws, email, email],
    );
  const first = await booking(ada, at('09:00'), at('09:30'));
  const second = await booking(bea, at('09:00'), at('09:30'));
  const cancelled = await booking(ada, at('09:00'), at('09:30'), 'cancelled');

  expect(await orm.migrator.up({ to: '0028-collective' })).toEqual([
    expect.objectContaining({ name: '0028-collective' }),
  ]);

  const rows = await sql<{
    booking_id: string;
    host_id: string;
    organiser: boolean;
    start_at: Date;
    blocked: string;
  }>(
    `select booking_id, host_id, organiser, start_at, blocked::text as blocked from booking_hosts order by host_id = ? desc`,
    [ada],
  );
  expect(rows.map((r) => [r.booking_id, r.host_id, r.organiser, new Date(r.start_at).toISOString()])).toEqual(
    [
      [first, ada, true, '2026-12-02T09:00:00.000Z'],
      [second, bea, true, '2026-12-02T09:00:00.000Z'],
    ],
  );
  // The range kept is the booking's own, buffer included.
  expect(rows[0]!.blocked).toMatch(/^\["2026-12-02 09:00:00\+00","2026-12-02 09:40:00\+00"\)$/);
  expect(rows.some((r) => r.booking_id === cancelled)).toBe(false);
  const coHosts = await sql<{ co_hosts: unknown }>(`select co_hosts from bookings where id = ?`, [first]);
  expect(
    typeof coHosts[0]!.co_hosts === 'string' ? JSON.parse(coHosts[0]!.co_hosts) : coHosts[0]!.co_hosts,
  ).toEqual([]);

  // Bea, as a co-host of a new collective booking, cannot be given time that meets her booking from before.
  const collective = await booking(ada, at('10:00'), at('10:30'));
  await expect(
    sql(
      `insert into booking_hosts (booking_id, host_id, workspace_id, event_type_id, organiser, start_at, end_at, blocked)
      values (?, ?, ?, ?, false, ?::timestamptz, ?::timestamptz, tstzrange(?::timestamptz, ?::timestamptz, '[)'))`,
      [collective, bea, ws, eventType, at('09:30'), at('10:00'), at('09:30'), at('10:00')],
    ),
  ).rejects.toThrow(/booking_hosts_no_overlap/);
  // Right after her buffer, she can.
  await sql(
    `insert into booking_hosts (booking_id, host_id, workspace_id, event_type_id, organiser, start_at, end_at, blocked)
    values (?, ?, ?, ?, false, ?::timestamptz, ?::timestamptz, tstzrange(?::timestamptz, ?::timestamptz, '[)'))`,
    [collective, bea, ws, eventType, at('09:40'), at('10:30'), at('09:40'), at('10:30')],
  );
  const check = await sql<{ def: string }>(
    `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'event_types_assignment_check'`,
  );
  expect(check[0]!.def).toContain('collective');

  await orm.migrator.down({ to: BEFORE });
  const tables = await sql<{ n: number }>(
    `select count(*)::int as n from pg_tables where tablename = 'booking_hosts'`,
  );
  expect(tables[0]!.n).toBe(0);
  const bookings = await sql<{ n: number }>(`select count(*)::int as n from bookings`);
  expect(bookings[0]!.n).toBe(4);
});
