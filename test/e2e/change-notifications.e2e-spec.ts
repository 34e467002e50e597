// Graph change notifications end to end against the Microsoft 365 emulator, which really calls the test
// server: subscriptions made on connect (both URLs validated), free/busy invalidated by a notification,
// forged clientStates dropped and counted, bookings following Outlook (deleted, moved, our own writes
// ignored), lifecycle events, renewal before expiry, removal on disconnect, and the fallback when no
// subscription can be made.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { ChangeNotificationJobs } from '@adapters/jobs/change-notification-jobs.js';
import { WebhookJobs } from '@adapters/jobs/webhook-jobs.js';
import { verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';
import type { TestApp } from '../support/test-app.js';
import { DEMO } from '../support/microsoft.js';
import { bookableWorkspace } from '../support/bookable.js';
import { startNotifiedApp } from '../support/notifications.js';
import { eventually } from '../support/eventually.js';

let emu: Emulator;
let t: TestApp;
let publicUrl: string;
const shift = { ms: 0 };

beforeAll(async () => {
  ({ emu, t, publicUrl } = await startNotifiedApp({
    beforeInit: (app) => {
      app.get(Clock).now = () => new Date(Date.now() + shift.ms);
    },
  }));
});
afterAll(async () => {
  await t?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const jobs = () => t.app.get(ChangeNotificationJobs);
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

interface SubRow {
  subscription_id: string | null;
  client_state_hash: string | null;
  status: string;
  expires_at: Date;
  delta_link: string | null;
  rejected_notifications: string | number;
  failure_reason: string | null;
  last_notification_at: Date | null;
}
const subRow = async (memberId: string) =>
  (await sql<SubRow>('select * from graph_subscriptions where member_id = ?', [memberId]))[0];
/** The member's subscription as the emulator has it (one Outlook user may be connected in several workspaces). */
const emuSub = async (memberId: string) => {
  const id = (await subRow(memberId))?.subscription_id;
  return emu.control.subscriptions().find((s) => s.id === id);
};

/** A workspace with one connected host, open at night only (UTC 00:00–06:00, empty in the demo calendars). */
async function host(user: keyof typeof DEMO.users) {
  const { ws, hostId, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users[user].mail });
  return { ws, id: hostId, eventTypeId, userId: DEMO.users[user].id };
}

async function slots(apiKey: string, eventTypeId: string): Promise<string[]> {
  const from = new Date(Date.now() + 2 * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 2 * 86_400_000);
  const res = await t
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${from.toISOString()}&end=${to.toISOString()}`)
    .set(auth(apiKey));
  expect(res.status).toBe(200);
  return res.body.slots.map((s: { start: string }) => s.start);
}

const plus = (iso: string, minutes: number) =>
  new Date(new Date(iso).getTime() + minutes * 60_000).toISOString().replace('.000Z', 'Z');

async function book(h: Awaited<ReturnType<typeof host>>, n = 0) {
  const start = (await slots(h.ws.apiKey, h.eventTypeId))[n]!;
  const res = await t
    .http()
    .post('/v1/bookings')
    .set(auth(h.ws.apiKey))
    .send({ eventTypeId: h.eventTypeId, start, guest });
  expect(res.status).toBe(201);
  expect(res.body.calendar.syncStatus).toBe('synced');
  return res.body as { id: string; start: string; end: string; calendar: { eventId: string } };
}

const changes = (workspaceId: string): Promise<{ data: Record<string, unknown> }[]> =>
  sql<{ data: Record<string, unknown> }>(
    `select data from domain_events where workspace_id = ? and type = 'booking.calendar_changed' order by occurred_at`,
    [workspaceId],
  );

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

/**
 * A loopback receiver registered for booking.calendar_changed; `delivered()` runs the webhook worker and
 * answers the bodies received, each checked against its Kailenty-Signature.
 */
async function calendarChangedHook(apiKey: string) {
  const bodies: string[] = [];
  const signatures: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      signatures.push(String(req.headers['kailenty-signature']));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = await t
    .http()
    .post('/v1/webhook-endpoints')
    .set(auth(apiKey))
    .send({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
      events: ['booking.calendar_changed'],
    })
    .expect(201);
  return {
    async delivered(): Promise<{ type: string; data: Record<string, unknown> }[]> {
      await t.app.get(WebhookJobs).runOnce();
      return bodies.map((body, i) => {
        expect(
          verifyKailentySignature(endpoint.body.secret, signatures[i], body, 300, t.app.get(Clock).now()),
        ).toBe(true);
        return JSON.parse(body);
      });
    },
  };
}

/** What a receiver gets for one booking.calendar_changed carrying `data`. */
const calendarChanged = (data: Record<string, unknown>) => [
  expect.objectContaining({ type: 'booking.calendar_changed', data: expect.objectContaining(data) }),
];

/** Lets the emulator's deliveries land, then runs the worker once. */
async function drain() {
  await emu.control.idle();
  return jobs().processOnce();
}

describe('subscriptions', () => {
  it('are made on connect on me/events with both URLs validated, a private clientState and the expiry Graph gave', async () => {
    const h = await host('adele');
    const sub = (await emuSub(h.id))!;
    expect(sub).toMatchObject({
      resource: 'me/events',
      changeType: 'created,updated,deleted',
      notificationUrl: `${publicUrl}/webhooks/microsoft/notifications`,
      lifecycleNotificationUrl: `${publicUrl}/webhooks/microsoft/lifecycle`,
    });
    const validations = emu.control
      .deliveries()
      .filter((d) => d.kind === 'validation' && d.url.startsWith(publicUrl));
    expect(validations.map((d) => [d.url, d.status])).toEqual(
      expect.arrayContaining([
        [sub.notificationUrl, 200],
        [sub.lifecycleNotificationUrl, 200],
      ]),
    );
    expect(sub.clientState!.length).toBeGreaterThanOrEqual(32);
    expect(sub.clientState!.length).toBeLessThanOrEqual(128);
    expect(sub.expirationMs - Date.now()).toBeLessThanOrEqual(4230 * 60_000);
    expect(sub.expirationMs - Date.now()).toBeGreaterThan(4200 * 60_000);
    const row = await subRow(h.id);
    expect(row).toMatchObject({ subscription_id: sub.id, status: 'active' });
    expect(new Date(row!.expires_at).getTime()).toBe(sub.expirationMs);
    expect(row!.client_state_hash).not.toContain(sub.clientState);
    const member = await t.http().get(`/v1/members/${h.id}`).set(auth(h.ws.apiKey));
    expect(member.body.microsoft).toMatchObject({ connection: 'connected', changeNotifications: 'active' });
  });

  it('are described in /docs-json with the rest of the contract', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    for (const path of ['/webhooks/microsoft/notifications', '/webhooks/microsoft/lifecycle']) {
      const post = res.body.paths[path]?.post;
      expect(post).toMatchObject({ tags: ['Microsoft Graph change notifications'] });
      expect(post.summary).toMatch(/Microsoft Graph/);
      expect(Object.keys(post.responses).sort()).toEqual(['200', '202', '413', '415']);
      expect(post.parameters).toEqual([
        expect.objectContaining({ name: 'validationToken', in: 'query', required: false }),
      ]);
    }
  });

  it('answers the validation handshake with the decoded token as text/plain', async () => {
    const token = 'Validation: Testing client application reachability & more';
    const res = await t
      .http()
      .post(`/webhooks/microsoft/lifecycle?validationToken=${encodeURIComponent(token)}`)
      .set('content-type', 'text/plain')
      .send('');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(token);
  });

  it('are removed from Graph on disconnect', async () => {
    const h = await host('alex');
    const sub = (await emuSub(h.id))!;
    await t.http().delete(`/v1/members/${h.id}/microsoft-connection`).set(auth(h.ws.apiKey)).expect(204);
    expect(emu.control.subscriptions().find((s) => s.id === sub.id)).toBeUndefined();
    expect(await subRow(h.id)).toBeUndefined();
  });
});

describe('revocation', () => {
  it('stops the subscription (no Graph call is possible any more) and the member says so', async () => {
    const h = await host('alex');
    const sub = (await emuSub(h.id))!;
    emu.control.refuseRefreshTokens(h.userId, 70008);
    emu.control.expireTokens({ userId: h.userId });
    // The next Graph call for the member meets the refusal: the connection is revoked.
    await slots(h.ws.apiKey, h.eventTypeId).catch(() => undefined);
    const member = await t.http().get(`/v1/members/${h.id}`).set(auth(h.ws.apiKey));
    expect(member.body.microsoft).toMatchObject({
      connection: 'revoked',
      changeNotifications: 'unavailable',
    });
    expect(await subRow(h.id)).toMatchObject({ status: 'stopped', subscription_id: sub.id });
    // Graph keeps notifying until it expires: dropped, nothing done.
    await emu.control.addEvent({
      userId: h.userId,
      start: plus(new Date().toISOString(), 60 * 48),
      end: plus(new Date().toISOString(), 60 * 49),
    });
    expect(await drain()).toMatchObject({ rejected: 0, failed: 0 });
  });
});

describe('change notifications', () => {
  it('a busy event added in Outlook removes the slot once the worker has run', async () => {
    const h = await host('megan');
    const before = await slots(h.ws.apiKey, h.eventTypeId);
    const target = before[3]!;
    await emu.control.addEvent({
      userId: h.userId,
      subject: 'Dentist',
      start: target,
      end: plus(target, 30),
    });
    await emu.control.idle();
    // Accepted at once and persisted; the cached free/busy still stands until the worker runs.
    expect(await slots(h.ws.apiKey, h.eventTypeId)).toContain(target);
    const report = await jobs().processOnce();
    expect(report.claimed).toBeGreaterThanOrEqual(1);
    expect(await slots(h.ws.apiKey, h.eventTypeId)).not.toContain(target);
    expect((await subRow(h.id))!.last_notification_at).not.toBeNull();
  });

  it('drops and counts a notification whose clientState is wrong, and changes nothing', async () => {
    const h = await host('adele');
    const sub = (await emuSub(h.id))!;
    const version = async () =>
      (await sql<{ version: string }>('select version from calendar_versions where member_id = ?', [h.id]))[0]
        ?.version ?? '0';
    const was = await version();
    const forged = {
      value: [
        {
          subscriptionId: sub.id,
          clientState: 'not-the-secret',
          changeType: 'updated',
          resource: `Users/${h.userId}/Events/AAMk-forged`,
          resourceData: { id: 'AAMk-forged' },
          tenantId: DEMO.tenantId,
        },
      ],
    };
    const res = await t.http().post('/webhooks/microsoft/notifications').send(forged);
    expect(res.status).toBe(202);
    const report = await jobs().processOnce();
    expect(report.rejected).toBe(1);
    expect(await version()).toBe(was);
    expect(Number((await subRow(h.id))!.rejected_notifications)).toBe(1);
  });

  it('deduplicates an item Graph delivers twice', async () => {
    const h = await host('megan');
    const sub = (await emuSub(h.id))!;
    const body = {
      value: [
        {
          id: 'n-1',
          subscriptionId: sub.id,
          clientState: sub.clientState,
          changeType: 'updated',
          resource: 'x',
          resourceData: { id: 'e-1' },
        },
      ],
    };
    await t.http().post('/webhooks/microsoft/notifications').send(body).expect(202);
    await t.http().post('/webhooks/microsoft/notifications').send(body).expect(202);
    const rows = await sql('select 1 from graph_notification_inbox where subscription_id = ?', [sub.id]);
    expect(rows).toHaveLength(1);
    await jobs().processOnce();
  });

  it('our own event write coming back is not read from Graph, and leaves the calendar version as the write set it', async () => {
    const h = await host('alex');
    const version = async () =>
      (await sql<{ version: string }>('select version from calendar_versions where member_id = ?', [h.id]))[0]
        ?.version ?? '0';
    const booking = await book(h);
    const eventId = booking.calendar.eventId as string;
    await emu.control.idle();
    const afterWrite = await version();
    emu.control.clearRequests();
    const processed = await jobs().processOnce();
    expect(processed).toMatchObject({ failed: 0 });
    expect(processed.claimed).toBeGreaterThanOrEqual(1);
    const readsOfEvent = () =>
      emu.control.requests({ method: 'GET', pathPrefix: `/v1.0/me/events/${encodeURIComponent(eventId)}` });
    expect(readsOfEvent()).toEqual([]);
    expect(await version()).toBe(afterWrite);

    // The host changes the event in Outlook: a new version, read and followed.
    const start = plus(booking.start, 30);
    const end = plus(booking.end, 30);
    await emu.control.updateEvent(eventId, { start, end });
    await drain();
    expect(readsOfEvent()).toHaveLength(1);
    expect(Number(await version())).toBeGreaterThan(Number(afterWrite));
    const after = await t.http().get(`/v1/bookings/${booking.id}`).set(auth(h.ws.apiKey));
    expect(after.body).toMatchObject({ status: 'confirmed', start, end });
  });

  it('a booking whose event is deleted in Outlook is cancelled by the host, with booking.calendar_changed "deleted"', async () => {
    const h = await host('adele');
    const hook = await calendarChangedHook(h.ws.apiKey);
    const booking = await book(h);
    // Our own event creation comes back as a notification and changes nothing.
    await drain();
    expect((await t.http().get(`/v1/bookings/${booking.id}`).set(auth(h.ws.apiKey))).body.status).toBe(
      'confirmed',
    );
    await emu.control.deleteEvent(booking.calendar.eventId);
    await drain();
    const after = await t.http().get(`/v1/bookings/${booking.id}`).set(auth(h.ws.apiKey));
    expect(after.body).toMatchObject({ status: 'cancelled', cancelledBy: 'host' });
    const events = await changes(h.ws.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      id: booking.id,
      change: 'deleted',
      status: 'cancelled',
      cancelledBy: 'host',
    });
    const sent = await hook.delivered();
    expect(sent).toEqual(
      calendarChanged({
        id: booking.id,
        change: 'deleted',
        status: 'cancelled',
        cancelledBy: 'host',
      }),
    );
  });

  it('a booking whose event is moved in Outlook takes the new time, with booking.calendar_changed "moved"', async () => {
    const h = await host('megan');
    const hook = await calendarChangedHook(h.ws.apiKey);
    const booking = await book(h);
    await drain();
    const start = plus(booking.start, 60);
    const end = plus(booking.end, 60);
    await emu.control.updateEvent(booking.calendar.eventId, { start, end });
    await drain();
    const after = await t.http().get(`/v1/bookings/${booking.id}`).set(auth(h.ws.apiKey));
    expect(after.body).toMatchObject({ status: 'confirmed', start, end });
    const events = await changes(h.ws.id);
    expect(events.map((e) => e.data.change)).toEqual(['moved']);
    expect(events[0]!.data).toMatchObject({ id: booking.id, start, end });
    expect(await hook.delivered()).toEqual(
      calendarChanged({ id: booking.id, change: 'moved', status: 'confirmed', start, end }),
    );
  });

  it('a move onto another booking is flagged on the booking (GET) and sent once per distinct move', async () => {
    const h = await host('adele');
    const hook = await calendarChangedHook(h.ws.apiKey);
    const moved = await book(h);
    const other = await book(h);
    await drain();
    await emu.control.updateEvent(moved.calendar.eventId, { start: other.start, end: other.end });
    await drain();
    const after = await t.http().get(`/v1/bookings/${moved.id}`).set(auth(h.ws.apiKey));
    expect(after.body).toMatchObject({
      status: 'confirmed',
      start: moved.start,
      warnings: [{ code: 'CALENDAR_MOVE_CONFLICT' }],
    });
    // The same move seen again (another change to the event, a resync) says nothing new.
    await emu.control.updateEvent(moved.calendar.eventId, { subject: 'Renamed in Outlook' });
    await drain();
    await emu.control.sendLifecycle((await emuSub(h.id))!.id, 'missed');
    await drain();
    const sent = await hook.delivered();
    expect(sent).toEqual(
      calendarChanged({
        id: moved.id,
        change: 'moved',
        start: moved.start,
        warnings: [{ code: 'CALENDAR_MOVE_CONFLICT' }],
        outlook: { start: other.start, end: other.end },
      }),
    );
    // The host puts it back: the warning goes.
    await emu.control.updateEvent(moved.calendar.eventId, { start: moved.start, end: moved.end });
    await drain();
    const back = await t.http().get(`/v1/bookings/${moved.id}`).set(auth(h.ws.apiKey));
    expect(back.body.warnings).toEqual([]);
  });
});

describe('lifecycle events', () => {
  it('reauthorizationRequired: reauthorizes and renews the subscription', async () => {
    const h = await host('alex');
    const sub = (await emuSub(h.id))!;
    emu.control.clearRequests();
    await emu.control.sendLifecycle(sub.id, 'reauthorizationRequired');
    await drain();
    const paths = emu.control.requests().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        `POST /v1.0/subscriptions/${sub.id}/reauthorize`,
        `PATCH /v1.0/subscriptions/${sub.id}`,
      ]),
    );
    expect((await subRow(h.id))!.status).toBe('active');
  });

  it('subscriptionRemoved: makes a new subscription, then resynchronises with delta', async () => {
    const h = await host('adele');
    const old = (await emuSub(h.id))!;
    emu.control.clearRequests();
    await emu.control.removeSubscription(old.id);
    await drain();
    const fresh = (await emuSub(h.id))!;
    expect(fresh.id).not.toBe(old.id);
    const row = await subRow(h.id);
    expect(row).toMatchObject({ subscription_id: fresh.id, status: 'active' });
    expect(row!.delta_link).toEqual(expect.stringContaining('delta'));
    expect(emu.control.requests({ pathPrefix: '/v1.0/me/calendarView/delta' }).length).toBeGreaterThan(0);
  });

  it('subscriptionRemoved delivered twice makes one new subscription', async () => {
    const h = await host('alex');
    const old = (await emuSub(h.id))!;
    const first = await emu.control.removeSubscription(old.id);
    // Graph's retry of the same lifecycle notification, as it would after a lost answer.
    const replay = await fetch(first[0]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(first[0]!.payload),
    });
    expect(replay.status).toBe(202);
    emu.control.clearRequests();
    await drain();
    await drain();
    expect(emu.control.requests({ pathPrefix: '/v1.0/subscriptions', method: 'POST' })).toHaveLength(1);
    expect((await subRow(h.id))!.subscription_id).toBe((await emuSub(h.id))!.id);
  });

  it('a change Graph notifies before its create has answered is kept and processed', async () => {
    const h = await host('megan');
    const old = (await emuSub(h.id))!;
    const before = new Set(emu.control.subscriptions().map((s) => s.id));
    // Graph makes the subscription, then answers late: notifications come first.
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/subscriptions' },
      afterHandler: true,
      latencyMs: 1500,
    });
    await emu.control.removeSubscription(old.id);
    await emu.control.idle();
    const recreating = jobs().processOnce();
    // Made once its URLs are validated (requests to this app): however long that takes, its answer then
    // comes 1.5 s later.
    let made: string | undefined;
    await eventually(() => {
      made = emu.control.subscriptions().find((s) => s.ownerId === h.userId && !before.has(s.id))?.id;
      expect(made).toBeDefined();
    });
    expect((await subRow(h.id))!.subscription_id).toBeNull();
    const start = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await emu.control.addEvent({ userId: h.userId, subject: 'Early', start, end: plus(start, 30) });
    await emu.control.idle();
    await recreating;
    expect((await subRow(h.id))!.subscription_id).toBe(made);
    const kept = await sql<{ processed_at: Date | null }>(
      `select processed_at from graph_notification_inbox where subscription_id = ? and kind = 'change'`,
      [made],
    );
    expect(kept).toHaveLength(1);
    await jobs().processOnce();
    const handled = await sql<{ last_notification_at: Date | null }>(
      'select last_notification_at from graph_subscriptions where member_id = ?',
      [h.id],
    );
    expect(handled[0]!.last_notification_at).not.toBeNull();
  });

  it('missed: resynchronises with the stored delta link, and a booking follows a move it was never told of', async () => {
    const h = await host('megan');
    const booking = await book(h);
    await drain();
    const sub = (await emuSub(h.id))!;
    await emu.control.sendLifecycle(sub.id, 'missed'); // first resync: from scratch, stores the delta link
    await drain();
    const link = (await subRow(h.id))!.delta_link;
    expect(link).toEqual(expect.any(String));
    const start = plus(booking.start, 30);
    const end = plus(booking.end, 30);
    await emu.control.updateEvent(booking.calendar.eventId, { start, end, notify: false });
    emu.control.clearRequests();
    await emu.control.sendLifecycle(sub.id, 'missed');
    await drain();
    const deltaCalls = emu.control.requests({ pathPrefix: '/v1.0/me/calendarView/delta' });
    expect(deltaCalls.length).toBeGreaterThan(0);
    expect(deltaCalls[0]!.query).toHaveProperty('$deltatoken');
    const after = await t.http().get(`/v1/bookings/${booking.id}`).set(auth(h.ws.apiKey));
    expect(after.body).toMatchObject({ start, end });
    expect((await changes(h.ws.id)).map((e) => e.data.change)).toEqual(['moved']);
  });
});

describe('when no subscription can be made', () => {
  it('records the failure, says so on the member, and keeps free/busy only briefly', async () => {
    emu.control.setLimits({ requireHttpsNotificationUrl: true });
    let h;
    try {
      h = await host('alex');
    } finally {
      emu.control.setLimits({ requireHttpsNotificationUrl: false });
    }
    const row = await subRow(h.id);
    expect(row).toMatchObject({ status: 'failed', subscription_id: null });
    expect(row!.failure_reason).toMatch(/refused|HTTPS/i);
    const member = await t.http().get(`/v1/members/${h.id}`).set(auth(h.ws.apiKey));
    expect(member.body.microsoft).toMatchObject({
      connection: 'connected',
      changeNotifications: 'unavailable',
    });

    const target = (await slots(h.ws.apiKey, h.eventTypeId))[2]!;
    await emu.control.addEvent({ userId: h.userId, start: target, end: plus(target, 30), notify: false });
    expect(await slots(h.ws.apiKey, h.eventTypeId)).toContain(target); // cached
    shift.ms += 31_000;
    expect(await slots(h.ws.apiKey, h.eventTypeId)).not.toContain(target); // short TTL: read again
  });

  it('a member with a live subscription keeps the cache past 30 s (notifications invalidate it)', async () => {
    const h = await host('megan');
    const target = (await slots(h.ws.apiKey, h.eventTypeId))[5]!;
    await emu.control.addEvent({ userId: h.userId, start: target, end: plus(target, 30), notify: false });
    shift.ms += 31_000;
    expect(await slots(h.ws.apiKey, h.eventTypeId)).toContain(target);
  });
});

describe('renewal', () => {
  it('gives a subscription to a member connected before subscriptions existed, once across instances', async () => {
    const h = await host('adele');
    const old = (await emuSub(h.id))!;
    // As before migration 0008: a connection and no subscription row.
    await sql('delete from graph_subscriptions where member_id = ?', [h.id]);
    await emu.control.removeSubscription(old.id);
    await emu.control.idle();
    emu.control.clearRequests();
    const outcomes = (await Promise.all([jobs().renewOnce(), jobs().renewOnce()])).flat();
    expect(outcomes).toContain('created');
    expect(emu.control.requests({ pathPrefix: '/v1.0/subscriptions', method: 'POST' })).toHaveLength(1);
    const row = await subRow(h.id);
    expect(row).toMatchObject({ status: 'active' });
    expect((await emuSub(h.id))!.id).toBe(row!.subscription_id);
    expect((await jobs().renewOnce()).filter((o) => o === 'created')).toEqual([]);
  });

  it('renews before expiry with a steered clock', async () => {
    const h = await host('adele');
    const sub = (await emuSub(h.id))!;
    expect(await jobs().renewOnce()).toEqual([]); // nothing due yet
    const ahead = 50 * 3600_000; // past "less than a day left" of a 70.5 h subscription
    // Both clocks move together (the earlier cache tests moved only ours).
    emu.control.advanceClock(shift.ms + ahead);
    shift.ms += ahead;
    const outcomes = await jobs().renewOnce();
    expect(outcomes).toContain('renewed');
    const renewed = emu.control.subscriptions().find((s) => s.id === sub.id)!;
    expect(renewed.expirationMs).toBeGreaterThan(sub.expirationMs);
    expect(new Date((await subRow(h.id))!.expires_at).getTime()).toBe(renewed.expirationMs);
  });
});
