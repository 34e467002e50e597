// Outbound webhooks over real HTTP: endpoints with validation and workspace isolation, and events from the
// domain_events outbox delivered to a real local receiver with a signature checked here independently,
// retried with backoff (time steered through the app's Clock), given up after 24 hours, logged, and
// delivered exactly once when two instances race.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '@application/ports/clock.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { WebhookJobs, WebhookJobsOptions } from '@adapters/jobs/webhook-jobs.js';
import { verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from '@nestjs/common';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { usingPostgres } from '../support/database.js';

const clock = new FixedClock('2026-12-01T08:00:00Z');
/** Every instance's Clock follows the test's: webhooks are timed with the Clock port only. */
const steerClock = (app: NestFastifyApplication) => {
  app.get(Clock).now = () => clock.now();
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, undefined, { beforeInit: steerClock });
});
afterAll(async () => {
  await t.close();
});

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const runJobs = (app: TestApp = t) => app.app.get(WebhookJobs).runOnce();

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Statuses to answer, in order; 200 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(answers: number[] = []): Promise<Receiver> {
  const received: Received[] = [];
  const state = { answers };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = state.answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `failure ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const r: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    get answers() {
      return state.answers;
    },
    set answers(value) {
      state.answers = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  receivers.push(r);
  return r;
}

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ status, code });
}

async function createEndpoint(apiKey: string, body: Record<string, unknown>) {
  const res = await t.http().post('/v1/webhook-endpoints').set(bearer(apiKey)).send(body);
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; url: string; events: string[]; secret: string; createdAt: string };
}

async function countEndpoints(apiKey: string): Promise<number> {
  return (await t.http().get('/v1/webhook-endpoints?limit=200').set(bearer(apiKey))).body.data.length;
}

async function deliveries(apiKey: string, endpointId: string) {
  const res = await t.http().get(`/v1/webhook-endpoints/${endpointId}/deliveries`).set(bearer(apiKey));
  expect(res.status).toBe(200);
  return res.body as { data: Record<string, unknown>[]; nextCursor: string | null };
}

function record(workspaceId: string, type: string, data: unknown, app: TestApp = t) {
  return app.app.get(DomainEventOutbox).record({ workspaceId, type, data, occurredAt: clock.now() });
}

/** The check a product team writes, straight from API.md, without kailenty's helper. */
function independentlyVerified(secret: string, header: string, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(Buffer.from(match[2]!, 'hex'), expected);
}

describe('webhook endpoints', () => {
  it('are described in the OpenAPI document', async () => {
    const res = await t.http().get('/docs-json');
    for (const path of [
      '/v1/webhook-endpoints',
      '/v1/webhook-endpoints/{id}',
      '/v1/webhook-endpoints/{id}/deliveries',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect(res.body.components.schemas.CreatedWebhookEndpointDto.properties).toHaveProperty('secret');
    expect(res.body.components.schemas.WebhookEndpointDto.properties).not.toHaveProperty('secret');
  });

  it('are created with a secret shown once, listed, read and deleted', async () => {
    const ws = await t.workspace();
    const res = await t
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(ws.apiKey))
      .send({
        url: 'https://hooks.contoso.test/kailenty',
        events: ['booking.created', 'connection.revoked'],
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      url: 'https://hooks.contoso.test/kailenty',
      events: ['booking.created', 'connection.revoked'],
      secret: expect.stringMatching(/^whsec_[\w-]{43}$/),
      createdAt: clock.now().toISOString(),
      deliveryProblem: null,
    });
    const { secret, ...shown } = res.body;
    const list = await t.http().get('/v1/webhook-endpoints').set(bearer(ws.apiKey));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [shown], nextCursor: null });
    const one = await t.http().get(`/v1/webhook-endpoints/${res.body.id}`).set(bearer(ws.apiKey));
    expect(one.body).toEqual(shown);
    expect(JSON.stringify([list.body, one.body])).not.toContain(secret);
    const stored = await t.db.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>('select * from webhook_endpoints where id = ?', [res.body.id]);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));

    expect(
      (await t.http().delete(`/v1/webhook-endpoints/${res.body.id}`).set(bearer(ws.apiKey))).status,
    ).toBe(204);
    expectProblem(
      await t.http().get(`/v1/webhook-endpoints/${res.body.id}`).set(bearer(ws.apiKey)),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t.http().delete(`/v1/webhook-endpoints/${res.body.id}`).set(bearer(ws.apiKey)),
      404,
      'NOT_FOUND',
    );
  });

  it('keep the URL exactly as posted (no trailing slash or default port added)', async () => {
    const ws = await t.workspace();
    for (const url of ['https://hooks.contoso.test', 'https://Hooks.contoso.test:443/In?b=1&a=2']) {
      const created = await createEndpoint(ws.apiKey, { url, events: ['*'] });
      expect(created.url).toBe(url);
      const read = await t.http().get(`/v1/webhook-endpoints/${created.id}`).set(bearer(ws.apiKey));
      expect(read.body.url).toBe(url);
    }
  });

  it('refuses bad input with VALIDATION_FAILED and writes nothing', async () => {
    const ws = await t.workspace();
    const bad: [Record<string, unknown>, string][] = [
      [{ events: ['*'] }, 'url'],
      [{ url: 42, events: ['*'] }, 'url'],
      [{ url: '/relative', events: ['*'] }, 'url'],
      [{ url: 'ftp://files.contoso.test/x', events: ['*'] }, 'url'],
      [{ url: 'http://hooks.contoso.test/x', events: ['*'] }, 'url'],
      [{ url: 'https://u:p@hooks.contoso.test/x', events: ['*'] }, 'url'],
      [{ url: 'https://hooks.contoso.test/x' }, 'events'],
      [{ url: 'https://hooks.contoso.test/x', events: [] }, 'events'],
      [{ url: 'https://hooks.contoso.test/x', events: 'booking.created' }, 'events'],
      [{ url: 'https://hooks.contoso.test/x', events: ['booking.exploded'] }, 'events'],
      [{ url: 'https://hooks.contoso.test/x', events: ['*'], secret: 'mine' }, 'secret'],
    ];
    for (const [body, field] of bad) {
      const res = await t.http().post('/v1/webhook-endpoints').set(bearer(ws.apiKey)).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
    expect(await countEndpoints(ws.apiKey)).toBe(0);
    expectProblem(
      await t.http().get('/v1/webhook-endpoints?limit=0').set(bearer(ws.apiKey)),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('are at most 20 per workspace', async () => {
    const ws = await t.workspace();
    for (let i = 0; i < 20; i++)
      await createEndpoint(ws.apiKey, { url: `https://h.contoso.test/${i}`, events: ['*'] });
    const res = await t
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(ws.apiKey))
      .send({ url: 'https://h.contoso.test/21', events: ['*'] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await countEndpoints(ws.apiKey)).toBe(20);
    const first = await t.http().get('/v1/webhook-endpoints?limit=15').set(bearer(ws.apiKey));
    expect(first.body.data).toHaveLength(15);
    const rest = await t
      .http()
      .get(`/v1/webhook-endpoints?limit=15&cursor=${first.body.nextCursor}`)
      .set(bearer(ws.apiKey));
    expect(rest.body).toEqual({ data: expect.any(Array), nextCursor: null });
    expect(rest.body.data).toHaveLength(5);
  });

  it("treat another workspace's ids, and ids that are not UUIDs, as not found", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const endpoint = await createEndpoint(a.apiKey, { url: 'https://a.contoso.test/x', events: ['*'] });
    for (const path of [
      `/v1/webhook-endpoints/${endpoint.id}`,
      `/v1/webhook-endpoints/${endpoint.id}/deliveries`,
    ]) {
      expectProblem(await t.http().get(path).set(bearer(b.apiKey)), 404, 'NOT_FOUND');
    }
    expectProblem(
      await t.http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(b.apiKey)),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t.http().get('/v1/webhook-endpoints/not-a-uuid').set(bearer(a.apiKey)),
      404,
      'NOT_FOUND',
    );
    expect((await t.http().get('/v1/webhook-endpoints').set(bearer(b.apiKey))).body.data).toEqual([]);
    expect((await t.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(a.apiKey))).status).toBe(
      200,
    );
    expectProblem(await t.http().get('/v1/webhook-endpoints'), 401, 'UNAUTHENTICATED');
  });

  it('accept an Idempotency-Key on create: a replay returns the same endpoint and secret', async () => {
    const ws = await t.workspace();
    const body = { url: 'https://h.contoso.test/idem', events: ['booking.cancelled'] };
    const post = () =>
      t.http().post('/v1/webhook-endpoints').set(bearer(ws.apiKey)).set('Idempotency-Key', 'wh-1');
    const first = await post().send(body);
    const replay = await post().send(body);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expectProblem(await post().send({ ...body, events: ['*'] }), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await countEndpoints(ws.apiKey)).toBe(1);
  });
});

describe('delivery', () => {
  it('POSTs a recorded event, signed, to each subscribed endpoint of the workspace', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const hook = await receiver();
    const unsubscribed = await receiver();
    const foreign = await receiver();
    const endpoint = await createEndpoint(ws.apiKey, { url: hook.url, events: ['booking.created'] });
    await createEndpoint(ws.apiKey, { url: unsubscribed.url, events: ['booking.cancelled'] });
    await createEndpoint(other.apiKey, { url: foreign.url, events: ['*'] });
    const data = { id: randomUUID(), status: 'confirmed', guest: { name: 'Ada', email: 'ada@example.com' } };
    await record(ws.id, 'booking.created', data);

    const report = await runJobs();
    expect(report).toMatchObject({ events: 1, deliveries: 1, attempted: 1, succeeded: 1 });
    expect(unsubscribed.received).toEqual([]);
    expect(foreign.received).toEqual([]);
    expect(hook.received).toHaveLength(1);
    const [got] = hook.received;
    const body = JSON.parse(got!.body);
    expect(body).toEqual({
      id: expect.any(String),
      type: 'booking.created',
      createdAt: clock.now().toISOString(),
      data,
    });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['kailenty-event-id']).toBe(body.id);
    expect(got!.headers['kailenty-event-type']).toBe('booking.created');
    const signature = got!.headers['kailenty-signature'] as string;
    expect(signature).toBe(`t=${Math.floor(clock.now().getTime() / 1000)},v1=${signature.split('v1=')[1]}`);
    expect(independentlyVerified(endpoint.secret, signature, got!.body)).toBe(true);
    expect(independentlyVerified(endpoint.secret, signature, got!.body.replace('Ada', 'Eve'))).toBe(false);
    expect(verifyKailentySignature(endpoint.secret, signature, got!.body, 300, clock.now())).toBe(true);

    const log = await deliveries(ws.apiKey, endpoint.id);
    expect(log).toEqual({
      data: [
        {
          id: expect.any(String),
          eventId: body.id,
          type: 'booking.created',
          status: 'succeeded',
          attempts: 1,
          lastAttemptAt: clock.now().toISOString(),
          nextAttemptAt: null,
          lastResponseStatus: 200,
          lastError: null,
          // What was sent, byte for byte: the signature checks against it.
          body: got!.body,
          attemptLog: [
            {
              number: 1,
              startedAt: clock.now().toISOString(),
              durationMs: 0,
              responseStatus: 200,
              error: null,
            },
          ],
          createdAt: clock.now().toISOString(),
        },
      ],
      nextCursor: null,
    });
    expect(independentlyVerified(endpoint.secret, signature, log.data[0]!.body as string)).toBe(true);
    expect(await runJobs()).toMatchObject({ events: 0, attempted: 0 });
    expect(hook.received).toHaveLength(1);
  });

  it('retries a receiver that answered 500 after 10 s, with the same event id and body', async () => {
    const ws = await t.workspace();
    const hook = await receiver([500]);
    const endpoint = await createEndpoint(ws.apiKey, { url: hook.url, events: ['*'] });
    await record(ws.id, 'connection.revoked', { id: randomUUID(), email: 'm@contoso.test' });
    await runJobs();
    expect(hook.received).toHaveLength(1);
    const firstTry = clock.now();
    let [entry] = (await deliveries(ws.apiKey, endpoint.id)).data;
    expect(entry).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastResponseStatus: 500,
      lastError: 'HTTP 500: failure 500',
      nextAttemptAt: new Date(firstTry.getTime() + 10_000).toISOString(),
    });

    clock.advance(9_000);
    await runJobs();
    expect(hook.received).toHaveLength(1);
    clock.advance(1_000);
    await runJobs();
    expect(hook.received).toHaveLength(2);
    const [first, second] = hook.received;
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['kailenty-event-id']).toBe(first!.headers['kailenty-event-id']);
    expect(second!.headers['kailenty-signature']).not.toBe(first!.headers['kailenty-signature']);
    expect(
      independentlyVerified(endpoint.secret, second!.headers['kailenty-signature'] as string, second!.body),
    ).toBe(true);
    [entry] = (await deliveries(ws.apiKey, endpoint.id)).data;
    expect(entry).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastResponseStatus: 200,
      nextAttemptAt: null,
      body: first!.body,
    });
    // The history: the refused attempt is still there, with the receiver's answer.
    expect(entry!.attemptLog).toEqual([
      {
        number: 1,
        startedAt: firstTry.toISOString(),
        durationMs: 0,
        responseStatus: 500,
        error: 'HTTP 500: failure 500',
      },
      { number: 2, startedAt: clock.now().toISOString(), durationMs: 0, responseStatus: 200, error: null },
    ]);
  });

  it('records a receiver that cannot be reached, and gives up 24 hours after the event', async () => {
    const ws = await t.workspace();
    const hook = await receiver(Array.from({ length: 100 }, () => 503));
    const endpoint = await createEndpoint(ws.apiKey, { url: hook.url, events: ['booking.reminder'] });
    const closed = await receiver();
    await closed.close();
    const unreachable = await createEndpoint(ws.apiKey, { url: closed.url, events: ['booking.reminder'] });
    const eventAt = clock.now();
    await record(ws.id, 'booking.reminder', { id: randomUUID() });
    await runJobs();
    const [down] = (await deliveries(ws.apiKey, unreachable.id)).data;
    expect(down).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null });
    expect(down!.lastError).toMatch(/ECONNREFUSED/);
    expect(down!.attemptLog).toEqual([
      expect.objectContaining({ number: 1, responseStatus: null, error: down!.lastError }),
    ]);

    for (let i = 0; i < 60; i++) {
      const [entry] = (await deliveries(ws.apiKey, endpoint.id)).data;
      if (entry!.status !== 'pending') break;
      clock.set(entry!.nextAttemptAt as string);
      await runJobs();
    }
    const [entry] = (await deliveries(ws.apiKey, endpoint.id)).data;
    expect(entry).toMatchObject({ status: 'failed', nextAttemptAt: null, lastResponseStatus: 503 });
    expect(entry!.attempts).toBe(hook.received.length);
    expect(hook.received.length).toBeGreaterThan(25);
    const history = entry!.attemptLog as { number: number; responseStatus: number | null }[];
    expect(history.map((a) => a.number)).toEqual(hook.received.map((_, i) => i + 1));
    expect(new Set(history.map((a) => a.responseStatus))).toEqual(new Set([503]));
    const lastTry = new Date(entry!.lastAttemptAt as string).getTime();
    expect(lastTry).toBeLessThanOrEqual(eventAt.getTime() + 24 * 3600_000);
    expect(lastTry).toBeGreaterThan(eventAt.getTime() + 23 * 3600_000);
    clock.advance(48 * 3600_000);
    await runJobs();
    expect(entry!.attempts).toBe(hook.received.length);
    expect((await deliveries(ws.apiKey, unreachable.id)).data[0]).toMatchObject({ status: 'failed' });
  });

  it('sends nothing more to a deleted endpoint', async () => {
    const ws = await t.workspace();
    const hook = await receiver([500]);
    const endpoint = await createEndpoint(ws.apiKey, { url: hook.url, events: ['*'] });
    await record(ws.id, 'booking.cancelled', { id: randomUUID() });
    await runJobs();
    expect(hook.received).toHaveLength(1);
    await t.http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(ws.apiKey)).expect(204);
    clock.advance(3600_000);
    await runJobs();
    expect(hook.received).toHaveLength(1);
  });
});

describe(`two instances on one ${usingPostgres ? 'PostgreSQL server' : 'PGlite database'}`, () => {
  it('deliver each event exactly once when their dispatch and send runs race', async () => {
    // Small batches, so that the instances' claims interleave over many statements.
    const smallBatches = (app: NestFastifyApplication) => {
      steerClock(app);
      app.get(WebhookJobsOptions).batchSize = 3;
    };
    const first = await startTestApp({}, t.db, { beforeInit: smallBatches });
    const second = await startTestApp({}, t.db, { beforeInit: smallBatches });
    try {
      const ws = await t.workspace();
      const hook = await receiver();
      await createEndpoint(ws.apiKey, { url: hook.url, events: ['*'] });
      for (let i = 0; i < 40; i++) await record(ws.id, 'booking.updated', { i }, i % 2 ? first : second);
      for (let round = 0; round < 30 && hook.received.length < 40; round++) {
        await Promise.all([runJobs(first), runJobs(second), runJobs(first), runJobs(second)]);
      }
      const ids = hook.received.map((r) => JSON.parse(r.body).id as string);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      expect(new Set(hook.received.map((r) => JSON.parse(r.body).data.i))).toEqual(
        new Set(Array.from({ length: 40 }, (_, i) => i)),
      );
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('with the timers on', () => {
  it('delivers without anyone calling runOnce', async () => {
    const timed = await startTestApp({}, t.db, {
      webhookJobs: true,
      beforeInit: (app) => {
        steerClock(app);
        app.get(WebhookJobsOptions).intervalMs = 50;
      },
    });
    try {
      const ws = await t.workspace();
      const hook = await receiver();
      await createEndpoint(ws.apiKey, { url: hook.url, events: ['booking.rescheduled'] });
      await record(ws.id, 'booking.rescheduled', { id: randomUUID() });
      for (let i = 0; i < 100 && hook.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(hook.received).toHaveLength(1);
      expect(JSON.parse(hook.received[0]!.body).type).toBe('booking.rescheduled');
    } finally {
      await timed.close();
    }
  });
});

describe('with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false', () => {
  it('refuses private address literals at registration, and private names at delivery, logged', async () => {
    const warnings: string[] = [];
    const warn = Logger.prototype.warn;
    Logger.prototype.warn = (message: unknown) => void warnings.push(String(message));
    const closed = await startTestApp({ webhookAllowPrivateNetworks: false }, undefined, {
      beforeInit: steerClock,
    });
    try {
      const ws = await closed.workspace();
      for (const url of [
        'http://127.0.0.1:8080/hooks',
        'https://10.0.0.7/hooks',
        'https://169.254.169.254/latest/meta-data',
        'https://[fd00::7]/hooks',
        // IPv4 spellings the URL parser reads as 127.0.0.1, and IPv6 forms that reach a private IPv4.
        'http://2130706433/hooks',
        'http://0x7f.1/hooks',
        'http://0177.0.0.1/hooks',
        'http://127.1/hooks',
        'https://[64:ff9b:1::7f00:1]/hooks',
        'https://[2002:7f00:1::1]/hooks',
        'https://[::ffff:0:7f00:1]/hooks',
        'https://[2001:0:808:808::80ff:fffe]/hooks',
      ]) {
        const res = await closed
          .http()
          .post('/v1/webhook-endpoints')
          .set(bearer(ws.apiKey))
          .send({ url, events: ['*'] });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('private') }]);
      }
      // A name passes registration; it resolves to loopback, so every delivery is refused and logged.
      const hook = await receiver();
      const byName = hook.url.replace('127.0.0.1', 'localhost');
      const created = await closed
        .http()
        .post('/v1/webhook-endpoints')
        .set(bearer(ws.apiKey))
        .send({ url: byName, events: ['*'] });
      expect(created.status).toBe(201);
      await closed.app
        .get(DomainEventOutbox)
        .record({ workspaceId: ws.id, type: 'booking.created', data: {}, occurredAt: clock.now() });
      await closed.app.get(WebhookJobs).runOnce();
      expect(hook.received).toEqual([]);
      const log = await closed
        .http()
        .get(`/v1/webhook-endpoints/${created.body.id}/deliveries`)
        .set(bearer(ws.apiKey));
      expect(log.body.data[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastResponseStatus: null,
        // Any API key of the workspace reads this: it says no more than that the target is not allowed.
        lastError: 'refused: the target address is not allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS is false)',
      });
      // The operator's log names the endpoint, the host and where it resolved.
      expect(warnings).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^webhook endpoint ${created.body.id}: refused localhost, resolved to (127\\.0\\.0\\.1|::1), a loopback, private`,
          ),
        ),
      );
    } finally {
      Logger.prototype.warn = warn;
      await closed.close();
    }
  });
});
