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
import { InMemoryWebhookEndpointRepository } from '@adapters/in-memory/in-memory-webhook-endpoint.repository.js';
import { InMemoryWebhookDeliveryRepository } from '@adapters/in-memory/in-memory-webhook-delivery.repository.js';
import { InMemoryDomainEventFeed } from '@adapters/in-memory/in-memory-domain-event.feed.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { UuidIdGenerator } from '@adapters/system/uuid-id-generator.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';
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
  const ops = new RecordingOperationalLog();
  return {
    clock,
    ops,
    feed,
    sender,
    create: new CreateWebhookEndpoint(endpoints, new NodeCryptoSecrets(), ids, clock, {
      allowPrivateNetworks: true,
    }),
    get: new GetWebhookEndpoint(endpoints),
    remove: new DeleteWebhookEndpoint(endpoints),
    log: new ListWebhookDeliveries(endpoints, deliveries),
    dispatch: new DispatchWebhookEvents(feed, endpoints, deliveries, ids, clock, new InMemoryUnitOfWork()),
    send: new SendDueWebhooks(deliveries, endpoints, sender, clock, ops),
  };
}

describe('webhook endpoints', () => {
  it('get a fresh whsec_ secret each, and at most 20 per workspace', async () => {
    const s = setup();
    const workspaceId = randomUUID();
    const made = [];
    for (let i = 0; i < 20; i++) {
      made.push(await s.create.execute({ workspaceId, url: `https://h.example.com/${i}`, events: ['*'] }));
    }
    expect(made[0]!.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(new Set(made.map((e) => e.secret)).size).toBe(20);
    await expect(
      s.create.execute({ workspaceId, url: 'https://h.example.com/21', events: ['*'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      s.create.execute({ workspaceId: randomUUID(), url: 'https://h.example.com/21', events: ['*'] }),
    ).resolves.toBeDefined();
  });

  it('are not found in another workspace, for reading, deleting or their log', async () => {
    const s = setup();
    const e = await s.create.execute({
      workspaceId: randomUUID(),
      url: 'https://h.example.com',
      events: ['*'],
    });
    const other = randomUUID();
    await expect(s.get.execute({ workspaceId: other, endpointId: e.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(s.remove.execute({ workspaceId: other, endpointId: e.id })).rejects.toMatchObject({
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
    const all = await s.create.execute({ workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    const created = await s.create.execute({
      workspaceId: ws,
      url: 'https://b.example.com',
      events: ['booking.created'],
    });
    await s.create.execute({ workspaceId: ws, url: 'https://c.example.com', events: ['booking.cancelled'] });
    await s.create.execute({ workspaceId: randomUUID(), url: 'https://d.example.com', events: ['*'] });
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
    const e = await s.create.execute({ workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
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
    const e = await s.create.execute({ workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
    const gone = await s.create.execute({ workspaceId: ws, url: 'https://b.example.com', events: ['*'] });
    s.feed.add({ workspaceId: ws, type: 'booking.reminder', data: {}, occurredAt: s.clock.now() });
    await s.dispatch.execute({ limit: 10 });
    await s.remove.execute({ workspaceId: ws, endpointId: gone.id });
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
    const e = await s.create.execute({ workspaceId: ws, url: 'https://a.example.com', events: ['*'] });
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
});
