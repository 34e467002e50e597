// Graph's notification bodies read at the edge: each item becomes what the core processes, with a key
// that stays the same when Graph delivers the item again (its id, or a hash of what identifies it).
import { createHash, randomUUID } from 'node:crypto';
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';

/** Items accepted per body at most (Graph batches far fewer); the rest of a bigger body is ignored. */
export const MAX_ITEMS = 1000;

const text = (value: unknown, max = 2000) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;

/** Graph's lifecycle event names, in the core's words. */
const GRAPH_LIFECYCLE: Readonly<Record<string, LifecycleEvent>> = {
  reauthorizationRequired: 'access_expiring',
  subscriptionRemoved: 'subscription_removed',
  missed: 'notifications_missed',
};

const sha = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

export function parseGraphNotifications(body: unknown): ReceivedNotification[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return [];
  const items: ReceivedNotification[] = [];
  for (const raw of value.slice(0, MAX_ITEMS)) {
    if (!raw || typeof raw !== 'object') continue;
    const n = raw as Record<string, unknown>;
    const subscriptionId = text(n.subscriptionId, 200);
    if (!subscriptionId) continue;
    const clientState = text(n.clientState, 256);
    const lifecycleEvent = text(n.lifecycleEvent, 100);
    if (lifecycleEvent) {
      const event = Object.hasOwn(GRAPH_LIFECYCLE, lifecycleEvent) ? GRAPH_LIFECYCLE[lifecycleEvent] : null;
      if (!event) continue;
      // Lifecycle events carry no id: a redelivery is known by what it says. A subscription is removed
      // once; a reauthorization is asked for the expiry it names (renewing changes it). A `missed` can
      // recur with nothing to tell it from a redelivery: each is kept (a second resync costs one delta call).
      // The key hashes Graph's own name, so it is the same as before the names were translated.
      const expiry = text(n.subscriptionExpirationDateTime, 100);
      items.push({
        kind: 'lifecycle',
        subscriptionId,
        clientState,
        lifecycleEvent: event,
        dedupeKey:
          event === 'subscription_removed'
            ? `l:${sha([subscriptionId, lifecycleEvent])}`
            : event === 'access_expiring'
              ? `l:${sha([subscriptionId, lifecycleEvent, expiry])}`
              : `l:${randomUUID()}`,
      });
      continue;
    }
    const changeType = text(n.changeType, 100);
    if (!changeType) continue;
    const data = (n.resourceData && typeof n.resourceData === 'object' ? n.resourceData : {}) as Record<
      string,
      unknown
    >;
    const id = text(n.id, 200);
    items.push({
      kind: 'change',
      subscriptionId,
      clientState,
      changeType,
      eventId: text(data.id, 1000),
      changeKey: text(data['@odata.etag'], 1000),
      // Both ids are bounded (200 characters): used as they are, no hashing in the acknowledgement path.
      dedupeKey: id
        ? `n:${subscriptionId}/${id}`
        : `h:${sha([subscriptionId, changeType, n.resource, data.id, data['@odata.etag']])}`,
    });
  }
  return items;
}
