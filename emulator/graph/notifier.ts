// Delivers what Graph pushes to subscribers: the validation handshake, change notifications and
// lifecycle notifications, over real HTTP(S) with Graph's payloads (M365.md "Change notifications").
import { randomUUID } from 'node:crypto';
import type { DeliveryLogEntry, EmulatorState, EventRecord, Subscription } from '../state.js';
import { opaque } from '../ids.js';
import { etag } from './calendar-model.js';

export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export class Notifier {
  constructor(private readonly state: EmulatorState) {}

  /** Graph POSTs `?validationToken=…` and wants 200 text/plain with the decoded token back within 10 s. */
  async validate(url: string): Promise<{ ok: boolean; reason?: string }> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    const entry: DeliveryLogEntry = {
      at: this.state.nowIso(),
      kind: 'validation',
      url,
      status: 'error',
      attempt: 1,
    };
    this.state.deliveries.push(entry);
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: '',
        signal: AbortSignal.timeout(this.state.limits.validationTimeoutMs),
      });
      entry.status = res.status;
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? '';
      if (res.status !== 200) return { ok: false, reason: `status ${res.status}` };
      if (!contentType.toLowerCase().startsWith('text/plain'))
        return { ok: false, reason: `content-type ${contentType}` };
      if (text !== token)
        return { ok: false, reason: 'the validation token was not echoed (decoded) as the body' };
      return { ok: true };
    } catch (e) {
      entry.status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'error';
      entry.error = (e as Error).message;
      return { ok: false, reason: entry.status };
    }
  }

  /** Notifies every live subscription on the event's mailbox; resolves when all deliveries are done. */
  eventChanged(event: EventRecord, changeType: ChangeType): Promise<DeliveryLogEntry[]> {
    this.state.purgeExpiredSubscriptions();
    const subs = [...this.state.subscriptions.values()].filter(
      (s) =>
        s.ownerId === event.ownerId &&
        s.expirationMs > this.state.now() &&
        s.changeType
          .split(',')
          .map((c) => c.trim())
          .includes(changeType),
    );
    const work = Promise.all(
      subs.map((sub) => {
        const path = `Users/${sub.ownerId}/Events/${event.id}`;
        const payload = {
          value: [
            {
              id: opaque(12),
              subscriptionId: sub.id,
              subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
              changeType,
              resource: path,
              resourceData: {
                '@odata.type': '#Microsoft.Graph.Event',
                '@odata.id': path,
                '@odata.etag': etag(event),
                id: event.id,
              },
              clientState: sub.clientState ?? null,
              tenantId: sub.tenantId,
            },
          ],
        };
        return this.deliver('notification', sub.notificationUrl, payload, sub);
      }),
    );
    return this.state.track(work);
  }

  lifecycle(sub: Subscription, lifecycleEvent: LifecycleEvent): Promise<DeliveryLogEntry[]> {
    if (!sub.lifecycleNotificationUrl) return Promise.resolve([]);
    const payload = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
          tenantId: sub.tenantId,
          clientState: sub.clientState ?? null,
          lifecycleEvent,
        },
      ],
    };
    return this.state.track(
      this.deliver('lifecycle', sub.lifecycleNotificationUrl, payload, sub).then((e) => [e]),
    );
  }

  private async deliver(
    kind: 'notification' | 'lifecycle',
    url: string,
    payload: unknown,
    sub: Subscription,
  ): Promise<DeliveryLogEntry> {
    const { notificationRetries, notificationRetryDelayMs, notificationTimeoutMs } = this.state.limits;
    let entry!: DeliveryLogEntry;
    for (let attempt = 1; attempt <= notificationRetries + 1; attempt++) {
      entry = {
        at: this.state.nowIso(),
        kind,
        url,
        subscriptionId: sub.id,
        status: 'error',
        attempt,
        payload,
      };
      this.state.deliveries.push(entry);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(notificationTimeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        entry.status = res.status;
        if (res.status >= 200 && res.status < 300) return entry;
      } catch (e) {
        entry.status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'error';
        entry.error = (e as Error).message;
      }
      await new Promise((r) => setTimeout(r, notificationRetryDelayMs * attempt));
    }
    return entry;
  }
}
