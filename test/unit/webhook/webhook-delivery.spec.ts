// The retry schedule and the life of a delivery: pure domain, no clock but the one passed in.
import {
  ATTEMPT_LEASE_MS,
  MAX_ERROR_LENGTH,
  RETRY_WINDOW_MS,
  WebhookDelivery,
  nextRetryAt,
  retryDelayMs,
  webhookBody,
} from '@domain/webhook/webhook-delivery.js';
import { anEndpoint, anEvent } from '../../builders/webhook.builder.js';

const T0 = new Date('2026-12-01T08:00:00Z');
const s = 1000;

describe('the retry schedule', () => {
  it('backs off from 10 s, doubling, up to one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(retryDelayMs)).toEqual([
      10 * s,
      20 * s,
      40 * s,
      80 * s,
      160 * s,
      320 * s,
      640 * s,
      1280 * s,
      2560 * s,
      3600 * s,
      3600 * s,
    ]);
    expect(retryDelayMs(10_000)).toBe(3600 * s);
  });

  it('gives up when the next attempt would fall later than 24 hours after the event', () => {
    expect(nextRetryAt(T0, 1, T0)).toEqual(new Date(T0.getTime() + 10 * s));
    const lastChance = new Date(T0.getTime() + RETRY_WINDOW_MS - 3600 * s);
    expect(nextRetryAt(T0, 12, lastChance)).toEqual(new Date(T0.getTime() + RETRY_WINDOW_MS));
    expect(nextRetryAt(T0, 12, new Date(lastChance.getTime() + 1))).toBeNull();
  });

  it('makes a receiver that always fails see about 30 attempts over 24 hours, then failed', () => {
    const endpoint = anEndpoint();
    const delivery = WebhookDelivery.schedule({
      id: 'd',
      endpointId: endpoint.id,
      event: anEvent({ workspaceId: endpoint.workspaceId, occurredAt: T0 }),
      now: T0,
    });
    const attempts: number[] = [];
    let now = T0;
    while (delivery.isDue(now)) {
      delivery.startAttempt(now);
      attempts.push(now.getTime() - T0.getTime());
      delivery.finishAttempt({ ok: false, status: 503, error: 'HTTP 503' }, now);
      const next = delivery.toSnapshot().nextAttemptAt;
      if (!next) break;
      now = next;
    }
    expect(delivery.status).toBe('failed');
    expect(delivery.toSnapshot().nextAttemptAt).toBeNull();
    expect(attempts.slice(0, 5)).toEqual([0, 10 * s, 30 * s, 70 * s, 150 * s]);
    expect(attempts.at(-1)).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(attempts.length).toBe(delivery.attempts);
    expect(attempts.length).toBeGreaterThan(25);
    expect(attempts.length).toBeLessThan(40);
  });
});

describe('a delivery', () => {
  it('carries the event as the exact body to send, with the event id receivers deduplicate on', () => {
    const event = anEvent({ data: { z: 1, a: [null, 'x'] } });
    const body = webhookBody(event);
    expect(JSON.parse(body)).toEqual({
      id: event.id,
      type: event.type,
      createdAt: '2026-12-01T08:00:00.000Z',
      data: { z: 1, a: [null, 'x'] },
    });
    expect(Object.keys(JSON.parse(body))).toEqual(['id', 'type', 'createdAt', 'data']);
  });

  it('is due at once, leased while an attempt runs, done after a success', () => {
    const endpoint = anEndpoint();
    const event = anEvent({ workspaceId: endpoint.workspaceId, occurredAt: T0 });
    const d = WebhookDelivery.schedule({ id: 'd', endpointId: endpoint.id, event, now: T0 });
    expect(d.toSnapshot()).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      eventId: event.id,
    });
    expect(d.isDue(T0)).toBe(true);
    d.startAttempt(T0);
    expect(d.isDue(new Date(T0.getTime() + ATTEMPT_LEASE_MS - 1))).toBe(false);
    expect(d.isDue(new Date(T0.getTime() + ATTEMPT_LEASE_MS))).toBe(true);
    d.finishAttempt({ ok: true, status: 202 }, new Date(T0.getTime() + 50));
    expect(d.toSnapshot()).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      nextAttemptAt: null,
      lastAttemptAt: T0,
      lastResponseStatus: 202,
      lastError: null,
    });
    expect(d.isDue(new Date(T0.getTime() + RETRY_WINDOW_MS))).toBe(false);
  });

  it('keeps the last error short', () => {
    const endpoint = anEndpoint();
    const d = WebhookDelivery.schedule({
      id: 'd',
      endpointId: endpoint.id,
      event: anEvent({ occurredAt: T0 }),
      now: T0,
    });
    d.startAttempt(T0);
    d.finishAttempt({ ok: false, status: null, error: 'x'.repeat(5000) }, T0);
    expect(d.toSnapshot().lastError).toHaveLength(MAX_ERROR_LENGTH);
    expect(d.toSnapshot().lastResponseStatus).toBeNull();
  });
});
