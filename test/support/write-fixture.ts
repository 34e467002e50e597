// One of each thing a write endpoint acts on, in a fresh workspace of a test app: members, an event type
// they host with its booking page on, a booking (written straight to the database: no Microsoft 365
// needed) and another with its guest's manage token, a webhook endpoint, and a second API key. For tests
// of what writes refuse.
import { randomUUID } from 'node:crypto';
import { ManageTokens } from '@application/ports/manage-tokens.js';
import { MikroOrmHoldRepository } from '@adapters/persistence/mikro-orm-hold.repository.js';
import { aHold } from '../builders/hold.builder.js';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { aBooking } from '../builders/booking.builder.js';
import type { TestApp } from './test-app.js';
import { TEST_OPERATOR_TOKEN } from './test-config.js';

export interface WriteFixture {
  workspaceId: string;
  auth: Record<string, string>;
  operator: Record<string, string>;
  memberId: string;
  eventTypeId: string;
  bookingId: string;
  /** A live hold (of the first host, for an hour). */
  holdId: string;
  /** Another booking's manage link token (the guest's only credential on /v1/public/manage/{token}). */
  manageToken: string;
  webhookEndpointId: string;
  spareApiKeyId: string;
}

export async function writeFixture(t: TestApp): Promise<WriteFixture> {
  const ws = await t.workspace();
  const auth = { Authorization: `Bearer ${ws.apiKey}` };
  const operator = { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
  const created = async (res: { status: number; body: { id: string } }) => {
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`fixture: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const member = async (name: string) => {
    const id = await created(
      await t
        .http()
        .post('/v1/members')
        .set(auth)
        .send({ email: `${name}@contoso.com`, displayName: name, role: 'member' }),
    );
    await t.http().patch(`/v1/members/${id}`).set(auth).send({ status: 'active' });
    return id;
  };
  const memberId = await member('ada');
  const otherMemberId = await member('grace');
  const eventTypeId = await created(
    await t
      .http()
      .post('/v1/event-types')
      .set(auth)
      .send({
        slug: 'intro',
        title: 'Intro call',
        durationMinutes: 30,
        location: { kind: 'in_person', value: 'Main office' },
        hostIds: [memberId, otherMemberId],
        // A pool: slots of hosts without Microsoft 365 are an empty list with warnings, not a 409.
        assignment: 'round_robin',
        bookingPage: { enabled: true },
      }),
  );
  const booking = aBooking({
    workspaceId: ws.id,
    eventTypeId,
    hostId: memberId,
    start: '2030-01-07T09:00:00Z',
  });
  await new MikroOrmBookingRepository(t.db.orm.em).add(booking);
  // The guest's booking, another one: what the API's writes do to the first must not spoil its link.
  const guestBookingId = randomUUID();
  const { token: manageToken, hash, sealed } = t.app.get(ManageTokens).issue(guestBookingId);
  await new MikroOrmBookingRepository(t.db.orm.em).add(
    aBooking({
      id: guestBookingId,
      manageToken: { hash, sealed },
      workspaceId: ws.id,
      eventTypeId,
      hostId: otherMemberId,
      start: '2030-01-07T11:00:00Z',
    }),
  );
  const hold = aHold({
    workspaceId: ws.id,
    eventTypeId,
    hostId: memberId,
    start: '2030-01-07T13:00:00Z',
    expiresInSeconds: 900,
    now: new Date(),
  });
  await new MikroOrmHoldRepository(t.db.orm.em).add(hold);
  const webhookEndpointId = await created(
    await t
      .http()
      .post('/v1/webhook-endpoints')
      .set(auth)
      .send({ url: 'https://hooks.example.com/kailenty', events: ['*'] }),
  );
  const spareApiKeyId = await created(await t.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(operator));
  return {
    workspaceId: ws.id,
    auth,
    operator,
    memberId,
    eventTypeId,
    bookingId: booking.id,
    holdId: hold.id,
    manageToken,
    webhookEndpointId,
    spareApiKeyId,
  };
}

const WRITTEN_TABLES = [
  'workspaces',
  'api_keys',
  'members',
  'availability_policies',
  'event_types',
  'event_type_hosts',
  'bookings',
  'holds',
  'calendar_sync_queue',
  'domain_events',
  'webhook_endpoints',
  'webhook_deliveries',
  'authorization_states',
  'microsoft_connections',
  'tenant_consents',
  'idempotency_keys',
];

/** A digest of every row of each table writes touch, to tell whether a request wrote anything (and where). */
export async function databaseDigest(t: TestApp): Promise<Record<string, string>> {
  const rows = await t.db.orm.em
    .getConnection()
    .execute<{ name: string; digest: string | null }[]>(
      WRITTEN_TABLES.map(
        (name) =>
          `select '${name}' as name, md5(string_agg(r::text, '|' order by r::text)) as digest from ${name} r`,
      ).join(' union all '),
    );
  return Object.fromEntries(
    rows.map((r: { name: string; digest: string | null }) => [r.name, r.digest ?? 'empty']),
  );
}
