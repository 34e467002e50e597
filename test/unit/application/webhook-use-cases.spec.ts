// Webhook use cases against the in-memory fakes and a recording sender: endpoints, dispatch, sending,
// retries with backoff and giving up after 24 hours.
import { randomUUID } from 'node:crypto';
import { CreateWebhookEndpoint } from '@application/webhook/create-webhook-endpoint.use-case.js';
import { DeleteWebhookEndpoint } from '@application/webhook/delete-webhook-endpoint.use-case.js';
import { GetWebhookEndpoint } from '@application/webhook/get-webhook-endpoint.use-case.js';
import { ListWebhookDeliveries } from '@application/webhook/list-webhook-deliveries.use-case.js';
import { DispatchWebhookEvents } from '@application/webhook/dispatch-webhook-events.use-case.js';
import { SendDueWebhooks } from '@application/webhook/send-due-webhooks.use-case.js';
import { WebhookSender, type WebhookRequest } from '@application/ports/webhook.sender.js';
import type { AttemptOutcome } from '@domain/webhook/webhook-delivery.js';
import { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { InMemoryWebhookEndpointRepository } from '@adapters/in-memory/in-memory-webhook-endpoint.repository.js';
import { InMemoryWebhookDeliveryRepository } from '@adapters/in-memory/in-memory-webhook-delivery.repository.js';
import { InMemoryDomainEventFeed } from '@adapters/in-memory/in-memory-domain-event.feed.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { UuidIdGenerator } from '@adapters/system/uuid-id-generator.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import type { Initiator } from '@domain/audit/audit-event.js';

const by: Initiator = { actor: { type: 'api_key', id: randomUUID() }, clientAddress: '203.0.113.7' };
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';

class RecordingSender extends WebhookSender {
  readonly requests: WebhookRequest[] = [];
  answers: (AttemptOutcome | Error)[] = [];

  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    this.requests.push(request);
    const answer = this.answers.shift() ?? { ok: true, status: 200 };
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

function setup() {
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const ids = new UuidIdGenerator();
  const deliveries = new InMemoryWebhookDeliveryRepository();
  const endpoints = new InMemoryWebhookEndpointRepository(deliveries);
  const feed = new InMemoryDomainEventFeed();
  const sender = new RecordingSender();
  const uow = new InMemoryUnitOfWork();
  const audit = new InMemoryAuditTrail();
  const ops = new RecordingOperationalLog();
  return {
    clock,
    ops,
    feed,
    sender,
    endpoints,
    trail: async (workspaceId: string) => (await audit.list(workspaceId, { limit: 200 })).data,
    create: new CreateWebhookEndpoint(
      endpoints,
      new NodeCryptoSecrets(),
      ids,
      clock,
      { allowPrivateNetworks: true },
      uow,
      audit,
    ),
    get: new GetWebhookEndpoint(endpoints),
    remove: new DeleteWebhookEndpoint(endpoints, clock, uow, audit),
    log: new ListWebhookDeliveries(endpoints, deliveries),
    dispatch: new DispatchWebhookEvents(feed, endpoints, deliveries, ids, clock, uow),
    send: new SendDueWebhooks(deliveries, endpoints, sender, clock, ops),
  };
}

describe('webhook endpoints', () => {
  it('get a fresh whsec_ secret each, and at most 20 per workspace', async () => {
    const s = setup();
    const workspaceId = randomUUID();
    const made = [];
    for (let i = 0; i < 20; i++) {
      made.push(
        await s.create.execute({ by, workspaceId, url: `https://h.example.com/${i}`, events: ['*'] }),
      );
    }
    expect(made[0]!.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(new Set(made.map((e) => e.secret)).size).toBe(20);
    await expect(
      s.create.execute({ by, workspaceId, url: 'https://h.example.com/21', events: ['*'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      s.create.execute({ by, workspaceId: randomUUID(), url: 'https://h.example.com/21', events: ['*'] }),
    ).resolves.toBeDefined();
  });

  it('are not found in another workspace, for reading, deleting or their log', async () => {
    const s = setup();
    const e = await s.create.execute({
      by,
      workspaceId: randomUUID(),
      url: 'https://h.example.com',
      events: ['*'],
    });
    const other = randomUUID();
    await expect(s.get.execute({ workspaceId: other, endpointId: e.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(s.remove.execute({ by, workspaceId: other, endpointId: e.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      s.log.execute({ workspaceId: other, endpointId: e.id, page: { limit: 10 } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('dispatching and sending', () => {
  it('delivers an event to each subscribed endpoint of its workspace only, once', async () => {
    const s = setup();
    const ws = randomUUID();
    const all = await s.create.execute({ by, workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    const created = await s.create.execute({
      by,
      workspaceId: ws,
      url: 'https://b.example.com',
      events: ['booking.created'],
    });
    await s.create.execute({
      by,
      workspaceId: ws,
      url: 'https://c.example.com',
      events: ['booking.cancelled'],
    });
    await s.create.execute({ by, workspaceId: randomUUID(), url: 'https://d.example.com', events: ['*'] });
    const eventId = s.feed.add({
      workspaceId: ws,
      type: 'booking.created',
      data: { id: 'b1' },
      occurredAt: s.clock.now(),
    });

    expect(await s.dispatch.execute({ limit: 10 })).toEqual({ events: 1, deliveries: 2 });
    expect(s.feed.undispatched()).toBe(0);
    expect(await s.dispatch.execute({ limit: 10 })).toEqual({ events: 0, deliveries: 0 });

    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 2,
      succeeded: 2,
      failed: 0,
      retrying: 0,
    });
    expect(s.sender.requests.map((r) => r.url).sort()).toEqual([all.url, created.url].sort());
    const request = s.sender.requests.find((r) => r.url === all.url)!;
    expect(request).toMatchObject({ secret: all.secret, eventId, eventType: 'booking.created' });
    expect(JSON.parse(request.body)).toEqual({
      id: eventId,
      type: 'booking.created',
      createdAt: '2026-12-01T08:00:00.000Z',
      data: { id: 'b1' },
    });
    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 0,
      succeeded: 0,
      failed: 0,
      retrying: 0,
    });
  });

  it('retries a failure after the backoff with the same body, and records each answer', async () => {
    const s = setup();
    const ws = randomUUID();
    const e = await s.create.execute({ by, workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    s.feed.add({
      workspaceId: ws,
      type: 'connection.revoked',
      data: { id: 'm1' },
      occurredAt: s.clock.now(),
    });
    await s.dispatch.execute({ limit: 10 });
    s.sender.answers = [
      { ok: false, status: 500, error: 'HTTP 500: oops' },
      { ok: false, status: null, error: 'no answer within 10000 ms' },
    ];
    await s.send.execute({ limit: 10 });
    s.clock.advance(9_999);
    expect((await s.send.execute({ limit: 10 })).attempted).toBe(0);
    s.clock.advance(1);
    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 1,
      succeeded: 0,
      failed: 0,
      retrying: 1,
    });
    s.clock.advance(20_000);
    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 1,
      succeeded: 1,
      failed: 0,
      retrying: 0,
    });
    expect(new Set(s.sender.requests.map((r) => r.body)).size).toBe(1);
    expect(
      s.sender.requests.map((r) => r.signedAt.getTime() - s.sender.requests[0]!.signedAt.getTime()),
    ).toEqual([0, 10_000, 30_000]);
    const [logged] = (await s.log.execute({ workspaceId: ws, endpointId: e.id, page: { limit: 10 } })).data;
    expect(logged!.toSnapshot()).toMatchObject({ status: 'succeeded', attempts: 3, lastResponseStatus: 200 });
    // Each failed attempt is a warn line naming the endpoint, the delivery and when it is tried again.
    expect(s.ops.lines.map((l) => [l.level, l.event, l.fields.attempt, l.fields.status])).toEqual([
      ['warn', 'webhook.attempt_failed', 1, 500],
      ['warn', 'webhook.attempt_failed', 2, null],
    ]);
    expect(s.ops.lines[0]!.fields).toEqual({
      workspaceId: ws,
      endpointId: e.id,
      deliveryId: logged!.id,
      eventId: logged!.eventId,
      eventType: 'connection.revoked',
      attempt: 1,
      status: 500,
      error: 'HTTP 500: oops',
      nextAttemptAt: '2026-12-01T08:00:10.000Z',
    });
  });

  it('gives up 24 hours after the event, and sends nothing for a deleted endpoint', async () => {
    const s = setup();
    const ws = randomUUID();
    const e = await s.create.execute({ by, workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    const gone = await s.create.execute({ by, workspaceId: ws, url: 'https://b.example.com', events: ['*'] });
    s.feed.add({ workspaceId: ws, type: 'booking.reminder', data: {}, occurredAt: s.clock.now() });
    await s.dispatch.execute({ limit: 10 });
    await s.remove.execute({ by, workspaceId: ws, endpointId: gone.id });
    s.sender.answers = Array.from({ length: 100 }, () => ({ ok: false, status: 503, error: 'HTTP 503' }));
    const start = s.clock.now().getTime();
    for (let i = 0; i < 100 && s.clock.now().getTime() - start <= 25 * 3600_000; i++) {
      await s.send.execute({ limit: 10 });
      s.clock.advance(3600_000);
    }
    expect(s.sender.requests.every((r) => r.url === e.url)).toBe(true);
    const [logged] = (await s.log.execute({ workspaceId: ws, endpointId: e.id, page: { limit: 10 } })).data;
    expect(logged!.toSnapshot()).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      lastResponseStatus: 503,
    });
    expect(logged!.attempts).toBe(s.sender.requests.length);
    const last = s.ops.lines.at(-1)!;
    expect(last).toMatchObject({ level: 'error', event: 'webhook.delivery_failed' });
    expect(last.fields).toMatchObject({ endpointId: e.id, attempt: logged!.attempts, nextAttemptAt: null });
    expect(s.ops.of('webhook.attempt_failed')).toHaveLength(logged!.attempts - 1);
  });

  it('counts a send that throws as a failed attempt, so that it backs off instead of hanging leased', async () => {
    const s = setup();
    const ws = randomUUID();
    const e = await s.create.execute({ by, workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    s.feed.add({ workspaceId: ws, type: 'booking.updated', data: {}, occurredAt: s.clock.now() });
    s.feed.add({ workspaceId: ws, type: 'internal.only', data: {}, occurredAt: s.clock.now() });
    expect(await s.dispatch.execute({ limit: 10 })).toEqual({ events: 2, deliveries: 1 });
    s.sender.answers = [new Error('boom')];
    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 1,
      succeeded: 0,
      failed: 0,
      retrying: 1,
    });
    const [logged] = (await s.log.execute({ workspaceId: ws, endpointId: e.id, page: { limit: 10 } })).data;
    expect(logged!.toSnapshot()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'not sent: boom',
      nextAttemptAt: new Date(s.clock.now().getTime() + 10_000),
    });
  });

  it('records on its own deliveries that an endpoint has no readable secret, and delivers the others', async () => {
    const s = setup();
    const ws = randomUUID();
    const problem = 'The signing secret of this endpoint is sealed under encryption key 0123456789abcdef, …';
    const unreadable = WebhookEndpoint.fromSnapshot({
      id: randomUUID(),
      workspaceId: ws,
      url: 'https://lost.example.com',
      events: ['*'],
      secret: null,
      secretProblem: problem,
      createdAt: new Date('2026-11-01T00:00:00Z'),
    });
    await s.endpoints.add(unreadable, 20);
    const fine = await s.create.execute({
      by,
      workspaceId: ws,
      url: 'https://fine.example.com',
      events: ['*'],
    });
    s.feed.add({ workspaceId: ws, type: 'booking.created', data: {}, occurredAt: s.clock.now() });
    expect(await s.dispatch.execute({ limit: 10 })).toEqual({ events: 1, deliveries: 2 });
    expect(await s.send.execute({ limit: 10 })).toEqual({
      attempted: 2,
      succeeded: 1,
      failed: 0,
      retrying: 1,
    });
    expect(s.sender.requests.map((r) => r.url)).toEqual([fine.url]);
    const [logged] = (
      await s.log.execute({ workspaceId: ws, endpointId: unreadable.id, page: { limit: 10 } })
    ).data;
    expect(logged!.toSnapshot()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastResponseStatus: null,
      lastError: `not sent: ${problem}`,
    });
  });
});

describe('the audit trail of webhook endpoints', () => {
  it('records each endpoint created (its host and events, never the URL or the secret) and deleted', async () => {
    const s = setup();
    const ws = randomUUID();
    const e = await s.create.execute({
      by,
      workspaceId: ws,
      url: 'https://hooks.contoso.test:8443/in/tok_abc123?sig=xyz',
      events: ['booking.created', 'connection.revoked'],
    });
    s.clock.advance(1000);
    await s.remove.execute({ by, workspaceId: ws, endpointId: e.id });
    const trail = await s.trail(ws);
    expect(
      trail.map(({ type, object, details, actor, clientAddress, occurredAt }) => ({
        type,
        object,
        details,
        actor,
        clientAddress,
        occurredAt,
      })),
    ).toEqual([
      {
        type: 'webhook_endpoint.deleted',
        object: { type: 'webhook_endpoint', id: e.id },
        details: {},
        actor: by.actor,
        clientAddress: '203.0.113.7',
        occurredAt: s.clock.now(),
      },
      {
        type: 'webhook_endpoint.created',
        object: { type: 'webhook_endpoint', id: e.id },
        details: { host: 'hooks.contoso.test:8443', events: ['booking.created', 'connection.revoked'] },
        actor: by.actor,
        clientAddress: '203.0.113.7',
        occurredAt: new Date('2026-12-01T08:00:00Z'),
      },
    ]);
    const dump = JSON.stringify(trail);
    for (const secretish of [e.secret, 'tok_abc123', 'sig=xyz']) expect(dump).not.toContain(secretish);
  });

  it('records nothing for an endpoint refused or a delete of an endpoint not found', async () => {
    const s = setup();
    const ws = randomUUID();
    await expect(
      s.create.execute({ by, workspaceId: ws, url: 'ftp://nope.example.com', events: ['*'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const e = await s.create.execute({ by, workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    await expect(s.remove.execute({ by, workspaceId: randomUUID(), endpointId: e.id })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    await expect(s.remove.execute({ by, workspaceId: ws, endpointId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await s.trail(ws)).map((event) => event.type)).toEqual(['webhook_endpoint.created']);
  });
});
