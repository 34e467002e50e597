// What operators see when Microsoft or a receiver misbehaves, read from the service's real log stream and
// /metrics, with the real Graph and MSAL adapters against the Microsoft 365 emulator: a persistent 429 on
// event creation, 503s retried by Graph's client (calendar.lastError shows them meanwhile), a webhook
// receiver failing, a subscription Graph refuses, and a revoked member.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { WebhookJobs } from '@adapters/jobs/webhook-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { bookableWorkspace } from '../support/bookable.js';

interface LogLine {
  level: number;
  msg: string;
  event?: string;
  req?: { id: string };
  [field: string]: unknown;
}

/** pino writes one JSON line per call: kept parsed, in order. */
class LogCapture {
  readonly lines: LogLine[] = [];
  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.lines.push(JSON.parse(line) as LogLine);
  }
  of(event: string, match: Record<string, unknown> = {}): LogLine[] {
    return this.lines.filter((l) => l.event === event && Object.entries(match).every(([k, v]) => l[k] === v));
  }
}

const WARN = 40;
const ERROR = 50;

let emu: Emulator;
let t: TestApp;
const logs = new LogCapture();
const shift = { ms: 0 };

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: 'warn' }, undefined, {
    logDestination: logs,
    beforeInit: (app) => {
      app.get(Clock).now = () => new Date(Date.now() + shift.ms);
    },
  });
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});
afterEach(() => emu.control.clearFaults());

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

async function setup(user: keyof typeof DEMO.users) {
  const { ws, hostId, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users[user].mail });
  const from = new Date(Date.now() + 2 * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 4 * 86_400_000);
  const slots = await t
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${from.toISOString()}&end=${to.toISOString()}`)
    .set(auth(ws.apiKey))
    .expect(200);
  return {
    ws,
    hostId,
    eventTypeId,
    starts: slots.body.slots.map((s: { start: string }) => s.start) as string[],
  };
}

const metricsText = async () => (await t.http().get('/metrics').expect(200)).text;

describe('Microsoft faults and calendar writes', () => {
  it('a persistent 429 on event creation: every Graph answer and every failed attempt is a line with the booking, status and Retry-After', async () => {
    const { ws, hostId, eventTypeId, starts } = await setup('adele');
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 429,
      retryAfter: 1,
      times: 1000,
    });
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: starts[0], guest })
      .expect(201);
    const bookingId = res.body.id as string;
    expect(res.body.calendar).toMatchObject({
      syncStatus: 'pending',
      lastError: expect.stringMatching(/429/),
    });
    for (let attempt = 2; attempt <= 3; attempt++) {
      shift.ms += 3_600_000;
      expect(await t.app.get(BookingJobs).syncOnce()).toBe(1);
    }
    const booking = (await t.http().get(`/v1/bookings/${bookingId}`).set(auth(ws.apiKey))).body;
    expect(booking.calendar).toMatchObject({ syncStatus: 'failed', lastError: expect.stringMatching(/429/) });

    // Graph's answers, each retry of its client included: warn, with whose booking it was and why.
    const faults = logs.of('microsoft.graph_fault', { bookingId });
    expect(faults.length).toBe(12); // 3 attempts × (1 + 3 retries of the graph client)
    for (const line of faults) {
      expect(line).toMatchObject({
        level: WARN,
        workspaceId: ws.id,
        memberId: hostId,
        bookingId,
        operation: 'POST /me/events',
        status: 429,
        code: 'ApplicationThrottled',
        retryAfter: 1,
      });
    }
    // The first attempt ran inside POST /v1/bookings: its lines carry that request's id.
    expect(faults[0]!.req?.id).toBe(res.headers['x-request-id']);
    expect(faults.at(-1)!.req).toBeUndefined();

    // Each failed attempt, and the booking turning `failed`, once each.
    const failed = logs.of('calendar.write_failed', { bookingId });
    expect(failed.map((l) => [l.level, l.attempt, l.retryAfterSeconds])).toEqual([
      [WARN, 1, 1],
      [WARN, 2, 1],
    ]);
    expect(failed[0]!.error).toMatch(/429/);
    expect(logs.of('calendar.write_failing', { bookingId })).toEqual([
      expect.objectContaining({ level: ERROR, attempt: 3, hostId, workspaceId: ws.id }),
    ]);

    expect(await metricsText()).toMatch(
      /^kailenty_graph_requests_total\{operation="POST \/me\/events",status="429"\} 12$/m,
    );
  }, 60_000);

  it('while Graph’s client retries 503s, calendar.lastError already shows the latest failure; it clears once written', async () => {
    const { ws, eventTypeId, starts } = await setup('megan');
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 503,
      retryAfter: 8,
      times: 1,
    });
    // The answer comes after 5 s while the client waits the 8 s Microsoft asked for.
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: starts[1], guest })
      .expect(201);
    expect(res.body.calendar).toMatchObject({
      syncStatus: 'pending',
      lastError: expect.stringMatching(/503 ServiceNotAvailable \(retrying\)/),
    });
    const during = (await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body;
    expect(during.calendar.lastError).toMatch(/503/);
    let after = during;
    for (let i = 0; i < 100 && after.calendar.syncStatus !== 'synced'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = (await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body;
    }
    expect(after.calendar.syncStatus).toBe('synced');
    expect(after.calendar.lastError).toBeUndefined();
    expect(after.location.joinUrl).toMatch(/^https:/);
    expect(logs.of('microsoft.graph_fault', { bookingId: res.body.id })).toEqual([
      expect.objectContaining({ status: 503, retryAfter: 8, attempt: 1 }),
    ]);
    // Written within the attempt: no failed attempt to report.
    expect(logs.of('calendar.write_failed', { bookingId: res.body.id })).toEqual([]);
  }, 30_000);

  it('a subscription Graph refuses and a member whose sessions were revoked are warn lines naming the member', async () => {
    const { ws, hostId, eventTypeId, starts } = await setup('alex');
    // PUBLIC_URL points nowhere the emulator can validate: the subscription made on connect was refused.
    expect(logs.of('graph.subscription_refused', { memberId: hostId })).toEqual([
      expect.objectContaining({ level: WARN, workspaceId: ws.id, reason: expect.any(String) }),
    ]);

    emu.control.revokeSessions(DEMO.users.alex.id);
    // A booking reads Microsoft 365 afresh: Graph refuses the token, and so does Entra ID its refresh.
    const refused = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: starts[0], guest });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CONSENT_REVOKED');
    expect(logs.of('microsoft.graph_fault', { memberId: hostId, status: 401 }).length).toBeGreaterThan(0);
    expect(logs.of('microsoft.entra_fault', { memberId: hostId })).toEqual([
      expect.objectContaining({
        level: WARN,
        workspaceId: ws.id,
        operation: 'POST /{tenant}/oauth2/v2.0/token',
        status: 400,
        error: 'invalid_grant',
        aadsts: '50173',
      }),
    ]);
    expect(logs.of('microsoft.connection_revoked', { memberId: hostId })).toEqual([
      expect.objectContaining({
        level: WARN,
        workspaceId: ws.id,
        status: 'revoked',
        reason: 'AADSTS50173',
        req: expect.objectContaining({ id: refused.headers['x-request-id'] }),
      }),
    ]);
    expect(await metricsText()).toMatch(/^kailenty_token_refreshes_total\{outcome="revoked"\} 1$/m);
  }, 30_000);
});

describe('webhook receivers', () => {
  let receiver: Server;
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('a receiver answering 500 is a warn line with the endpoint, delivery and status, and a retrying delivery', async () => {
    receiver = createServer((_, res) => res.writeHead(500).end('down for maintenance'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const { ws, eventTypeId, starts } = await setup('adele');
    const endpoint = await t
      .http()
      .post('/v1/webhook-endpoints')
      .set(auth(ws.apiKey))
      .send({ url, events: ['booking.created'] })
      .expect(201);
    await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: starts[2], guest })
      .expect(201);
    const count = (text: string) =>
      Number(/^kailenty_webhook_deliveries_total\{outcome="retrying"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    const before = count(await metricsText());
    expect(await t.app.get(WebhookJobs).runOnce()).toMatchObject({ attempted: 1, retrying: 1 });
    expect(logs.of('webhook.attempt_failed', { endpointId: endpoint.body.id })).toEqual([
      expect.objectContaining({
        level: WARN,
        workspaceId: ws.id,
        eventType: 'booking.created',
        attempt: 1,
        status: 500,
        error: 'HTTP 500: down for maintenance',
        deliveryId: expect.any(String),
        nextAttemptAt: expect.any(String),
      }),
    ]);
    expect(count(await metricsText()) - before).toBe(1);
  });
});
