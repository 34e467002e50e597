// Strict input over real HTTP: one rule for instants and one for time zones on every endpoint, a nesting
// limit before validation, no null or non-object bodies, and an empty JSON body where none is needed —
// each case a 4xx problem (never a 500) that writes nothing, or, for the last, accepted.
import { startTestApp, type TestApp } from '../support/test-app.js';
import { databaseDigest, writeFixture, type WriteFixture } from '../support/write-fixture.js';

let t: TestApp;
let f: WriteFixture;
beforeAll(async () => {
  t = await startTestApp();
  f = await writeFixture(t);
}, 60_000);
afterAll(async () => {
  await t.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: { code?: string; errors?: { field: string; message: string }[] } & Record<string, unknown>;
}

function expectRefused(res: Answer, field?: string): void {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
}

/** Sends a raw body with Content-Type: application/json. */
function send(method: 'post' | 'put' | 'patch' | 'delete', path: string, raw: string, auth = f.auth) {
  return t.http()[method](path).set(auth).set('content-type', 'application/json').send(raw);
}

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const booking = (overrides: Record<string, unknown> = {}) => ({
  eventTypeId: f.eventTypeId,
  start: '2030-01-08T09:00:00Z',
  guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
  ...overrides,
});

describe('instants', () => {
  it.each([
    ['a bare date (read as UTC midnight)', '2026-12-10'],
    ['no offset (read in the server zone)', '2026-12-10T17:00:00'],
    ['year 9999', '9999-12-10T17:00:00Z'],
    ['year 0001', '0001-01-01T00:00:00Z'],
    ['a day that does not exist', '2027-02-29T10:00:00Z'],
    ['hour 24', '2026-12-10T24:00:00Z'],
    ['a lowercase z', '2026-12-10T17:00:00z'],
  ])('refuses %s for a booking, a reschedule, slots and explain', async (_, instant) => {
    const before = await databaseDigest(t);
    expectRefused(
      await t
        .http()
        .post('/v1/bookings')
        .set(f.auth)
        .send(booking({ start: instant })),
      'start',
    );
    expectRefused(
      await t.http().post(`/v1/bookings/${f.bookingId}/reschedule`).set(f.auth).send({ start: instant }),
      'start',
    );
    const q = encodeURIComponent(instant);
    const slots = `/v1/event-types/${f.eventTypeId}/slots`;
    expectRefused(await t.http().get(`${slots}?start=${q}&end=2030-01-09T00:00:00Z`).set(f.auth), 'start');
    expectRefused(await t.http().get(`${slots}?start=2030-01-08T00:00:00Z&end=${q}`).set(f.auth), 'end');
    expectRefused(await t.http().get(`${slots}/explain?at=${q}`).set(f.auth), 'at');
    expectRefused(await t.http().get(`/v1/bookings?start=${q}`).set(f.auth), 'start');
    expect(await databaseDigest(t)).toEqual(before);
  });

  it('says what it takes, the same everywhere', async () => {
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(f.auth)
      .send(booking({ start: '2026-12-10' }));
    expect(res.body.errors).toEqual([
      {
        field: 'start',
        message:
          'start must be an ISO 8601 date-time with an offset or Z, e.g. 2026-12-01T09:00:00Z, in the years 2000 to 2199',
      },
    ]);
  });

  it('takes an offset or Z, with or without seconds and fractions, at the edges of the range', async () => {
    const slots = `/v1/event-types/${f.eventTypeId}/slots`;
    for (const [start, end] of [
      ['2030-01-08T00:00%2B01:00', '2030-01-09T00:00:00.123456789Z'],
      ['2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z'],
      ['2199-12-30T00:00:00Z', '2199-12-31T23:59:59.999Z'],
      // The range is of instants: this is 2000-01-01T00:00:00Z.
      ['1999-12-31T23:00:00-01:00', '2000-01-02T00:00:00Z'],
    ]) {
      expect((await t.http().get(`${slots}?start=${start}&end=${end}`).set(f.auth)).status).toBe(200);
    }
    expectRefused(
      await t.http().get(`${slots}?start=2000-01-01T00:30:00%2B01:00&end=2000-01-02T00:00:00Z`).set(f.auth),
      'start',
    );
    expectRefused(
      await t.http().get(`${slots}?start=2199-12-31T00:00:00Z&end=2200-01-01T00:00:00Z`).set(f.auth),
      'end',
    );
  });
});

describe('time zones', () => {
  const policy = (timeZone: string) => ({ timeZone, weekly: [] });
  const availability = () => `/v1/members/${f.memberId}/availability`;

  it('refuses what is no IANA zone: a made-up name, an offset, an abbreviation Intl does not know', async () => {
    const before = await databaseDigest(t);
    for (const zone of ['Mars/Olympus', '+02:00', '-0500', 'GMT+2', '', 'local']) {
      expectRefused(await t.http().put(availability()).set(f.auth).send(policy(zone)), 'timeZone');
      expectRefused(
        await t
          .http()
          .post('/v1/bookings')
          .set(f.auth)
          .send(booking({ guest: { name: 'J', email: 'j@example.com', timeZone: zone } })),
        'guest.timeZone',
      );
      const q = encodeURIComponent(zone);
      expectRefused(
        await t
          .http()
          .get(
            `/v1/event-types/${f.eventTypeId}/slots?start=2030-01-08T00:00:00Z&end=2030-01-09T00:00:00Z&timeZone=${q}`,
          )
          .set(f.auth),
        'timeZone',
      );
    }
    expect(await databaseDigest(t)).toEqual(before);
  });

  it('takes a zone in any case and keeps its canonical spelling', async () => {
    const put = await t.http().put(availability()).set(f.auth).send(policy('europe/berlin'));
    expect(put.status).toBe(200);
    expect(put.body.timeZone).toBe('Europe/Berlin');
    expect((await t.http().get(availability()).set(f.auth)).body.timeZone).toBe('Europe/Berlin');
    const slots = await t
      .http()
      .get(
        `/v1/event-types/${f.eventTypeId}/slots?start=2030-01-08T00:00:00Z&end=2030-01-09T00:00:00Z&timeZone=AMERICA/NEW_YORK`,
      )
      .set(f.auth);
    expect(slots.status).toBe(200);
    expect(slots.body.timeZone).toBe('America/New_York');
  });
});

describe('bodies', () => {
  it('refuses a booking without a guest, or with a guest that is not an object', async () => {
    const { guest: _, ...noGuest } = booking();
    const missing = await t.http().post('/v1/bookings').set(f.auth).send(noGuest);
    expectRefused(missing, 'guest');
    expect(missing.body.errors).toEqual([{ field: 'guest', message: 'guest is required' }]);
    expectRefused(
      await t
        .http()
        .post('/v1/bookings')
        .set(f.auth)
        .send(booking({ guest: 'Jordan' })),
      'guest',
    );
    expectRefused(
      await t
        .http()
        .post('/v1/bookings')
        .set(f.auth)
        .send(booking({ guest: [] })),
      'guest',
    );
  });

  it('refuses the keys Nest would drop without a word (constructor, prototype), as any unknown field', async () => {
    const before = await databaseDigest(t);
    const patched = await t
      .http()
      .patch(`/v1/event-types/${f.eventTypeId}`)
      .set(f.auth)
      .send({ title: 'Renamed', prototype: [] });
    expectRefused(patched, 'prototype');
    expect(patched.body.errors).toEqual([
      { field: 'prototype', message: 'property prototype should not exist' },
    ]);
    expectRefused(
      await send(
        'post',
        '/v1/bookings',
        JSON.stringify(booking({ guest: { name: 'J', email: 'j@example.com', constructor: 1 } })),
      ),
      'guest.constructor',
    );
    expectRefused(await send('post', '/v1/members', '{"__proto__":{"role":"admin"}}'));
    expect(await databaseDigest(t)).toEqual(before);
  });

  it('refuses nesting deeper than 32 levels before anything reads it, 10,000 levels included', async () => {
    const before = await databaseDigest(t);
    for (const levels of [33, 5_000, 10_000, 100_000]) {
      expectRefused(await send('post', '/v1/members', nested(levels)), 'body');
      expectRefused(await send('patch', '/v1/workspace', `{"name":${nested(levels)}}`), 'body');
      expectRefused(await send('post', '/v1/bookings', `{"guest":{"name":${nested(levels)}}}`), 'body');
      expectRefused(await send('delete', `/v1/event-types/${f.eventTypeId}`, nested(levels)), 'body');
    }
    expect(await databaseDigest(t)).toEqual(before);
    // 32 levels are read, and refused for what they are.
    expectRefused(await send('patch', '/v1/workspace', `{"name":${nested(31)}}`), 'name');
  });

  it('refuses null, arrays and scalars where an endpoint takes an object: a null cancel cancels nothing', async () => {
    const before = await databaseDigest(t);
    for (const raw of ['null', '[]', '[{}]', '0', '"text"', 'true']) {
      expectRefused(await send('post', `/v1/bookings/${f.bookingId}/cancel`, raw), 'body');
      expectRefused(await send('patch', '/v1/workspace', raw), 'body');
      expectRefused(await send('post', '/v1/members', raw), 'body');
    }
    expect(await databaseDigest(t)).toEqual(before);
    expect((await t.http().get(`/v1/bookings/${f.bookingId}`).set(f.auth)).body.status).toBe('confirmed');
  });

  it('refuses a body on an endpoint that takes none, but for {}', async () => {
    const before = await databaseDigest(t);
    for (const raw of ['null', '{"force":true}', '[]', '1']) {
      expectRefused(await send('delete', `/v1/webhook-endpoints/${f.webhookEndpointId}`, raw), 'body');
      expectRefused(await send('post', `/v1/workspaces/${f.workspaceId}/api-keys`, raw, f.operator), 'body');
    }
    expect(await databaseDigest(t)).toEqual(before);
    expect((await send('post', `/v1/workspaces/${f.workspaceId}/api-keys`, '{}', f.operator)).status).toBe(
      201,
    );
  });

  it('accepts an empty body sent as JSON where none is needed: a DELETE, a cancel without a reason', async () => {
    const deleted = await send('delete', `/v1/webhook-endpoints/${f.webhookEndpointId}`, '');
    expect(deleted.status).toBe(204);
    const cancelled = await send('post', `/v1/bookings/${f.bookingId}/cancel`, '');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: f.bookingId, status: 'cancelled', cancellationReason: null });
    // Where a body is needed, an empty one is refused for what it lacks.
    expectRefused(await send('post', '/v1/members', ''), 'email');
  });
});
