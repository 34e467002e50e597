// Availability over real HTTP: PUT/GET a member's policy, event type CRUD with validation on every write and
// 404 across workspaces, slots for one host and a pool from hand-set Microsoft 365 free/busy (statuses,
// rooms, a failing calendar), the 62-day limit, the viewer's offset, and explain.
import { randomUUID } from 'node:crypto';
import { startAvailabilityTestApp, type AvailabilityTestApp } from '../support/availability-test-app.js';

const NOW = '2026-12-01T07:00:00Z';
let t: AvailabilityTestApp;
beforeAll(async () => {
  t = await startAvailabilityTestApp(NOW);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.freeBusy.reset();
  t.clock.set(NOW);
});

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
}

interface Ws {
  id: string;
  apiKey: string;
  auth: Record<string, string>;
}

async function workspace(): Promise<Ws> {
  const ws = await t.workspace();
  return { ...ws, auth: bearer(ws.apiKey) };
}

/** An active member; connected to Microsoft 365 unless told otherwise. */
async function member(
  ws: Ws,
  name: string,
  connection: {
    status?: 'connected' | 'revoked' | 'reauthorization_required';
    teamsEnabled?: boolean;
  } | null = {},
): Promise<string> {
  const email = `${name}-${randomUUID().slice(0, 6)}@contoso.com`;
  const created = await t
    .http()
    .post('/v1/members')
    .set(ws.auth)
    .send({ email, displayName: name, role: 'member' });
  expect(created.status).toBe(201);
  await t.http().patch(`/v1/members/${created.body.id}`).set(ws.auth).send({ status: 'active' }).expect(200);
  if (connection) {
    await t.connect(ws.id, created.body.id, { mailbox: email, timeZone: 'Europe/Paris', ...connection });
  }
  return created.body.id;
}

async function mailboxOf(ws: Ws, memberId: string): Promise<string> {
  return (await t.http().get(`/v1/members/${memberId}`).set(ws.auth)).body.email;
}

const parisWeek = {
  timeZone: 'Europe/Paris',
  weekly: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
    day,
    intervals: [{ start: '09:00', end: '17:00' }],
  })),
};

function putAvailability(ws: Ws, memberId: string, body: Record<string, unknown>) {
  return t.http().put(`/v1/members/${memberId}/availability`).set(ws.auth).send(body);
}

async function eventType(ws: Ws, hostIds: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t
    .http()
    .post('/v1/event-types')
    .set(ws.auth)
    .send({
      slug: `meet-${randomUUID().slice(0, 8)}`,
      title: 'Meet',
      durationMinutes: 60,
      location: { kind: 'teams' },
      hostIds,
      assignment: hostIds.length === 1 ? 'single' : 'round_robin',
      ...extra,
    });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Tuesday 1 December 2026 (Paris 09:00–17:00 = 08:00–16:00Z). */
const TUESDAY = 'start=2026-12-01T00:00:00Z&end=2026-12-02T00:00:00Z';
const at = (hour: number) => `2026-12-01T${String(hour).padStart(2, '0')}:00:00Z`;

async function slotStarts(ws: Ws, id: string, query = TUESDAY): Promise<string[]> {
  const res = await t.http().get(`/v1/event-types/${id}/slots?${query}`).set(ws.auth);
  expect(res.status).toBe(200);
  return res.body.slots.map((s: { start: string }) => s.start);
}

describe('availability of a member', () => {
  it('shows the default policy in the mailbox zone until one is stored, then the stored one', async () => {
    const ws = await workspace();
    const id = await member(ws, 'adele');
    const before = await t.http().get(`/v1/members/${id}/availability`).set(ws.auth);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      memberId: id,
      isDefault: true,
      timeZone: 'Europe/Paris',
      busyStatuses: ['busy', 'oof', 'tentative'],
      maxDaysAhead: null,
      updatedAt: null,
    });

    const put = await putAvailability(ws, id, {
      ...parisWeek,
      overrides: [{ date: '2026-12-24', intervals: [] }],
      bufferBeforeMinutes: 10,
      maxDaysAhead: 60,
      busyStatuses: ['busy'],
      extraCalendars: ['room-1@contoso.com'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      memberId: id,
      isDefault: false,
      ...parisWeek,
      overrides: [{ date: '2026-12-24', intervals: [] }],
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxDaysAhead: 60,
      busyStatuses: ['busy'],
      extraCalendars: ['room-1@contoso.com'],
      updatedAt: '2026-12-01T07:00:00.000Z',
    });
    const after = await t.http().get(`/v1/members/${id}/availability`).set(ws.auth);
    expect(after.body).toEqual(put.body);
  });

  it('refuses invalid policies with field errors and changes nothing', async () => {
    const ws = await workspace();
    const id = await member(ws, 'adele');
    await putAvailability(ws, id, parisWeek).expect(200);
    const stored = (await t.http().get(`/v1/members/${id}/availability`).set(ws.auth)).body;

    const cases: [Record<string, unknown>, string][] = [
      [{ timeZone: 'Europe/Paris' }, 'weekly'],
      [{ ...parisWeek, timeZone: 'Mars/Base' }, 'timeZone'],
      [
        { ...parisWeek, weekly: [{ day: 'mon', intervals: [{ start: '17:00', end: '09:00' }] }] },
        'weekly.0.intervals.0',
      ],
      [
        {
          ...parisWeek,
          weekly: [
            { day: 'mon', intervals: [] },
            { day: 'mon', intervals: [] },
          ],
        },
        'weekly.1.day',
      ],
      [{ ...parisWeek, bufferBeforeMinutes: -5 }, 'bufferBeforeMinutes'],
      [{ ...parisWeek, busyStatuses: ['unknown'] }, 'busyStatuses.0'],
      [
        { ...parisWeek, extraCalendars: Array.from({ length: 51 }, (_, i) => `r${i}@contoso.com`) },
        'extraCalendars',
      ],
      [{ ...parisWeek, surprise: true }, 'surprise'],
    ];
    for (const [body, field] of cases) {
      const res = await putAvailability(ws, id, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.http().get(`/v1/members/${id}/availability`).set(ws.auth)).body).toEqual(stored);
  });

  it("answers 404 for another workspace's member or an id that is not one", async () => {
    const ws = await workspace();
    const other = await workspace();
    const id = await member(ws, 'adele');
    expectProblem(await t.http().get(`/v1/members/${id}/availability`).set(other.auth), 404, 'NOT_FOUND');
    expectProblem(await putAvailability(other, id, parisWeek), 404, 'NOT_FOUND');
    expectProblem(await t.http().get(`/v1/members/nope/availability`).set(ws.auth), 404, 'NOT_FOUND');
    expect((await t.http().get(`/v1/members/${id}/availability`).set(ws.auth)).body.isDefault).toBe(true);
  });
});

describe('event types', () => {
  it('creates an event type with the defaults, idempotently, and reads it back', async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele', { teamsEnabled: false });
    const body = {
      slug: 'intro-call',
      title: 'Intro call',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [host],
      assignment: 'single',
    };
    const first = await t.http().post('/v1/event-types').set(ws.auth).set('Idempotency-Key', 'k1').send(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      ...body,
      slotIntervalMinutes: 30,
      bookingPage: { enabled: false },
      questions: [],
      limits: {},
      minimumGapMinutes: 0,
      rooms: null,
      warnings: [{ code: 'TEAMS_LICENCE_MISSING', memberId: host }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const replay = await t
      .http()
      .post('/v1/event-types')
      .set(ws.auth)
      .set('Idempotency-Key', 'k1')
      .send(body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const got = await t.http().get(`/v1/event-types/${first.body.id}`).set(ws.auth);
    expect(got.body).toEqual(first.body);
    const list = await t.http().get('/v1/event-types').set(ws.auth);
    expect(list.body).toEqual({ data: [first.body], nextCursor: null });
  });

  it('validates every create and writes nothing on failure', async () => {
    const ws = await workspace();
    const other = await workspace();
    const host = await member(ws, 'adele');
    const stranger = await member(other, 'stranger');
    const valid = {
      slug: 'taken',
      title: 'Meet',
      durationMinutes: 30,
      location: { kind: 'in_person', value: 'HQ, 1 Main St' },
      hostIds: [host],
      assignment: 'single',
    };
    await t.http().post('/v1/event-types').set(ws.auth).send(valid).expect(201);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, slug: 'Not Kebab' }, 'slug'],
      [{ ...valid, slug: 'taken' }, 'slug'],
      [{ ...valid, slug: 'a', durationMinutes: 721 }, 'durationMinutes'],
      [{ ...valid, slug: 'b', location: { kind: 'in_person' } }, 'location.value'],
      [{ ...valid, slug: 'c', location: { kind: 'phone', value: '' } }, 'location.value'],
      [{ ...valid, slug: 'd', location: { kind: 'teams', value: 'x' } }, 'location.value'],
      [{ ...valid, slug: 'e', hostIds: [] }, 'hostIds'],
      [{ ...valid, slug: 'f', hostIds: [stranger] }, 'hostIds'],
      [{ ...valid, slug: 'g', hostIds: ['not-a-uuid'] }, 'hostIds'],
      [{ ...valid, slug: 'h', hostIds: [host, stranger] }, 'hostIds'],
      [{ ...valid, slug: 'i', assignment: 'pairs' }, 'assignment'],
      // Collective needs 2 to 20 hosts.
      [{ ...valid, slug: 'i', assignment: 'collective' }, 'hostIds'],
      [{ ...valid, slug: 'j', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http().post('/v1/event-types').set(ws.auth).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.http().get('/v1/event-types').set(ws.auth)).body.data).toHaveLength(1);
  });

  it('changes with PATCH, validating the result as a whole, and deletes', async () => {
    const ws = await workspace();
    const a = await member(ws, 'a');
    const b = await member(ws, 'b');
    const id = await eventType(ws, [a], { slotIntervalMinutes: 15 });
    const before = (await t.http().get(`/v1/event-types/${id}`).set(ws.auth)).body;

    for (const body of [
      { hostIds: [a, b] },
      { title: null },
      { durationMinutes: 2 },
      { location: { kind: 'phone' } },
      { hostIds: [randomUUID()] },
      { unknown: 1 },
    ]) {
      expectProblem(
        await t.http().patch(`/v1/event-types/${id}`).set(ws.auth).send(body),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect((await t.http().get(`/v1/event-types/${id}`).set(ws.auth)).body).toEqual(before);

    const changed = await t
      .http()
      .patch(`/v1/event-types/${id}`)
      .set(ws.auth)
      .send({ hostIds: [a, b], assignment: 'round_robin', slotIntervalMinutes: null, title: 'Pool' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      hostIds: [a, b],
      assignment: 'round_robin',
      slotIntervalMinutes: 60,
      title: 'Pool',
    });

    await t.http().delete(`/v1/event-types/${id}`).set(ws.auth).expect(204);
    expectProblem(await t.http().get(`/v1/event-types/${id}`).set(ws.auth), 404, 'NOT_FOUND');
    expectProblem(await t.http().delete(`/v1/event-types/${id}`).set(ws.auth), 404, 'NOT_FOUND');
  });

  it("answers 404 for another workspace's event type on every endpoint, and changes nothing", async () => {
    const ws = await workspace();
    const other = await workspace();
    const id = await eventType(ws, [await member(ws, 'adele')]);
    const before = (await t.http().get(`/v1/event-types/${id}`).set(ws.auth)).body;
    expectProblem(await t.http().get(`/v1/event-types/${id}`).set(other.auth), 404, 'NOT_FOUND');
    expectProblem(
      await t.http().patch(`/v1/event-types/${id}`).set(other.auth).send({ title: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await t.http().delete(`/v1/event-types/${id}`).set(other.auth), 404, 'NOT_FOUND');
    expectProblem(
      await t.http().get(`/v1/event-types/${id}/slots?${TUESDAY}`).set(other.auth),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t
        .http()
        .get(`/v1/event-types/${id}/slots/explain?at=${at(9)}`)
        .set(other.auth),
      404,
      'NOT_FOUND',
    );
    expect((await t.http().get('/v1/event-types').set(other.auth)).body.data).toEqual([]);
    expect((await t.http().get(`/v1/event-types/${id}`).set(ws.auth)).body).toEqual(before);
  });

  it('pages the list', async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele');
    const ids = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      ids.push(await eventType(ws, [host]));
    }
    t.clock.set(NOW);
    const first = await t.http().get('/v1/event-types?limit=2').set(ws.auth);
    const second = await t.http().get(`/v1/event-types?limit=2&cursor=${first.body.nextCursor}`).set(ws.auth);
    expect([...first.body.data, ...second.body.data].map((e: { id: string }) => e.id)).toEqual(ids);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('slots', () => {
  it("offers one host's hours, blocking busy, oof and tentative but not free by default", async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele');
    await putAvailability(ws, host, parisWeek).expect(200);
    const mailbox = await mailboxOf(ws, host);
    t.freeBusy
      .add(mailbox, { start: at(8), end: at(9), status: 'tentative' })
      .add(mailbox, { start: at(9), end: at(10), status: 'free' })
      .add(mailbox, { start: at(10), end: at(11), status: 'oof' })
      .add(mailbox, { start: at(12), end: at(13), status: 'busy' });
    const id = await eventType(ws, [host]);
    const res = await t.http().get(`/v1/event-types/${id}/slots?${TUESDAY}`).set(ws.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      timeZone: 'UTC',
      asOf: NOW,
      slots: [9, 11, 13, 14, 15].map((h) => ({ start: at(h), end: at(h + 1), hostIds: [host] })),
      warnings: [],
    });
  });

  it('lets tentative and oof through when busyStatuses lists only busy, while a room blocks on tentative', async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele');
    await putAvailability(ws, host, {
      ...parisWeek,
      busyStatuses: ['busy'],
      extraCalendars: ['room-9@contoso.com'],
    }).expect(200);
    const mailbox = await mailboxOf(ws, host);
    t.freeBusy
      .add(mailbox, { start: at(8), end: at(9), status: 'tentative' })
      .add(mailbox, { start: at(10), end: at(11), status: 'oof' })
      .add('room-9@contoso.com', { start: at(13), end: at(14), status: 'tentative' })
      .add('room-9@contoso.com', { start: at(14), end: at(15), status: 'free' });
    expect(await slotStarts(ws, await eventType(ws, [host]))).toEqual([8, 9, 10, 11, 12, 14, 15].map(at));
  });

  it("writes times with the offset of the viewer's zone", async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele');
    const id = await eventType(ws, [host]);
    const res = await t
      .http()
      .get(`/v1/event-types/${id}/slots?${TUESDAY}&timeZone=America/New_York`)
      .set(ws.auth);
    expect(res.body.timeZone).toBe('America/New_York');
    expect(res.body.slots[0]).toEqual({
      start: '2026-12-01T03:00:00-05:00',
      end: '2026-12-01T04:00:00-05:00',
      hostIds: [host],
    });
    const paris = await slotStarts(
      ws,
      id,
      'start=2026-12-01T00:00:00%2B01:00&end=2026-12-01T12:00:00%2B01:00&timeZone=Europe/Paris',
    );
    expect(paris).toEqual(['09:00', '10:00', '11:00'].map((h) => `2026-12-01T${h}:00+01:00`));
    expectProblem(
      await t.http().get(`/v1/event-types/${id}/slots?${TUESDAY}&timeZone=Mars/Base`).set(ws.auth),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('offers the union of a pool and names the hosts that offer nothing', async () => {
    const ws = await workspace();
    const early = await member(ws, 'early');
    const late = await member(ws, 'late');
    const failing = await member(ws, 'failing');
    const unconnected = await member(ws, 'unconnected', null);
    const revoked = await member(ws, 'revoked', { status: 'revoked' });
    await putAvailability(ws, early, {
      timeZone: 'UTC',
      weekly: [{ day: 'tue', intervals: [{ start: '09:00', end: '11:00' }] }],
    });
    await putAvailability(ws, late, {
      timeZone: 'UTC',
      weekly: [{ day: 'tue', intervals: [{ start: '10:00', end: '12:00' }] }],
    });
    t.freeBusy.fail(await mailboxOf(ws, failing), 'MICROSOFT_UNAVAILABLE');
    const id = await eventType(ws, [early, late, failing, unconnected, revoked]);
    const res = await t.http().get(`/v1/event-types/${id}/slots?${TUESDAY}`).set(ws.auth);
    expect(res.status).toBe(200);
    expect(res.body.slots).toEqual([
      { start: at(9), end: at(10), hostIds: [early] },
      { start: at(10), end: at(11), hostIds: [early, late] },
      { start: at(11), end: at(12), hostIds: [late] },
    ]);
    expect(res.body.warnings).toEqual([
      { code: 'MICROSOFT_UNAVAILABLE', memberId: failing },
      { code: 'MICROSOFT_NOT_CONNECTED', memberId: unconnected },
      { code: 'CONSENT_REVOKED', memberId: revoked },
    ]);
  });

  it('answers 409 for a single host who is not connected or must reconnect, and warns for a failing calendar', async () => {
    const ws = await workspace();
    const unconnected = await eventType(ws, [await member(ws, 'none', null)]);
    expectProblem(
      await t.http().get(`/v1/event-types/${unconnected}/slots?${TUESDAY}`).set(ws.auth),
      409,
      'MICROSOFT_NOT_CONNECTED',
    );
    const reauth = await eventType(ws, [await member(ws, 'reauth', { status: 'reauthorization_required' })]);
    expectProblem(
      await t.http().get(`/v1/event-types/${reauth}/slots?${TUESDAY}`).set(ws.auth),
      409,
      'CONSENT_REVOKED',
    );

    const host = await member(ws, 'roomy');
    await putAvailability(ws, host, { ...parisWeek, extraCalendars: ['broken-room@contoso.com'] }).expect(
      200,
    );
    t.freeBusy.fail('broken-room@contoso.com', 'RATE_LIMITED');
    const res = await t
      .http()
      .get(`/v1/event-types/${await eventType(ws, [host])}/slots?${TUESDAY}`)
      .set(ws.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      timeZone: 'UTC',
      asOf: NOW,
      slots: [],
      warnings: [{ code: 'RATE_LIMITED', memberId: host }],
    });
  });

  it('accepts exactly 62 days and refuses one millisecond more with RANGE_TOO_LARGE', async () => {
    const ws = await workspace();
    const id = await eventType(ws, [await member(ws, 'adele')]);
    const ok = await t
      .http()
      .get(`/v1/event-types/${id}/slots?start=2026-12-01T00:00:00Z&end=2027-02-01T00:00:00Z`)
      .set(ws.auth);
    expect(ok.status).toBe(200);
    const res = await t
      .http()
      .get(`/v1/event-types/${id}/slots?start=2026-12-01T00:00:00Z&end=2027-02-01T00:00:00.001Z`)
      .set(ws.auth);
    expectProblem(res, 400, 'RANGE_TOO_LARGE');
  });

  it('refuses missing, malformed or reversed bounds', async () => {
    const ws = await workspace();
    const id = await eventType(ws, [await member(ws, 'adele')]);
    for (const query of [
      'start=2026-12-01T00:00:00Z',
      'start=2026-12-01&end=2026-12-02',
      'start=2026-12-01T00:00:00&end=2026-12-02T00:00:00',
      'start=2026-12-02T00:00:00Z&end=2026-12-01T00:00:00Z',
      'start=2026-12-01T00:00:00Z&end=2026-12-01T00:00:00Z',
    ]) {
      expectProblem(
        await t.http().get(`/v1/event-types/${id}/slots?${query}`).set(ws.auth),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});

describe('explain', () => {
  it('gives every reason per host, with busy items, rooms and hosts that cannot be used', async () => {
    const ws = await workspace();
    const host = await member(ws, 'adele');
    const unconnected = await member(ws, 'unconnected', null);
    await putAvailability(ws, host, {
      ...parisWeek,
      bufferAfterMinutes: 30,
      extraCalendars: ['room-3@contoso.com'],
    }).expect(200);
    const mailbox = await mailboxOf(ws, host);
    t.freeBusy
      .add(mailbox, { start: at(10), end: '2026-12-01T10:30:00Z', status: 'oof' })
      .add(mailbox, { start: at(10), end: at(11), status: 'free' })
      .add('room-3@contoso.com', { start: '2026-12-01T11:15:00Z', end: at(12), status: 'busy' });
    const id = await eventType(ws, [host, unconnected]);
    const res = await t
      .http()
      .get(`/v1/event-types/${id}/slots/explain?at=2026-12-01T11:00:00%2B01:00&timeZone=Europe/Paris`)
      .set(ws.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      timeZone: 'Europe/Paris',
      start: '2026-12-01T11:00:00+01:00',
      end: '2026-12-01T12:00:00+01:00',
      offered: false,
      warnings: [{ code: 'MICROSOFT_NOT_CONNECTED', memberId: unconnected }],
    });
    expect(res.body.hosts).toEqual([
      {
        hostId: host,
        offered: false,
        hostTimeZone: 'Europe/Paris',
        reasons: [
          {
            code: 'busy',
            message: expect.any(String),
            start: '2026-12-01T11:00:00+01:00',
            end: '2026-12-01T11:30:00+01:00',
            status: 'oof',
            calendar: mailbox,
          },
          {
            code: 'buffer',
            message: expect.any(String),
            start: '2026-12-01T12:15:00+01:00',
            end: '2026-12-01T13:00:00+01:00',
            source: 'calendar',
            status: 'busy',
            calendar: 'room-3@contoso.com',
            bookingId: null,
          },
        ],
        ignoredItems: [
          {
            start: '2026-12-01T11:00:00+01:00',
            end: '2026-12-01T12:00:00+01:00',
            status: 'free',
            calendar: mailbox,
          },
        ],
      },
      {
        hostId: unconnected,
        offered: false,
        hostTimeZone: 'UTC',
        reasons: [{ code: 'not_connected', message: expect.any(String) }],
        ignoredItems: [],
      },
    ]);

    const offered = await t
      .http()
      .get(`/v1/event-types/${id}/slots/explain?at=${at(8)}`)
      .set(ws.auth);
    expect(offered.body.offered).toBe(true);
    expect(offered.body.hosts[0]).toMatchObject({ offered: true, reasons: [] });
    expectProblem(
      await t.http().get(`/v1/event-types/${id}/slots/explain?at=tomorrow`).set(ws.auth),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('the OpenAPI document', () => {
  it('describes the availability, event type, slots and explain endpoints', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/members/{id}/availability',
        '/v1/event-types',
        '/v1/event-types/{id}',
        '/v1/event-types/{id}/slots',
        '/v1/event-types/{id}/slots/explain',
      ]),
    );
    expect(Object.keys(paths['/v1/members/{id}/availability'])).toEqual(
      expect.arrayContaining(['put', 'get']),
    );
    expect(Object.keys(paths['/v1/event-types/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    const schemas = res.body.components.schemas;
    expect(schemas.PutAvailabilityDto.properties).toHaveProperty('extraCalendars');
    expect(schemas.EventTypeDto.properties).toHaveProperty('warnings');
    expect(schemas.SlotsDto.properties).toHaveProperty('warnings');
    expect(schemas.HostExplanationDto.properties).toHaveProperty('reasons');
    expect(schemas.ExplainReasonDto.properties.code.enum).toContain('booking');
  });
});
