// Which items of a Graph notification body the inbox keeps: each item once across Graph's retries, and
// only items of a subscription we made. Both inbox adapters ask this; in PostgreSQL the unique dedupe key
// still backs "once" when two instances store the same retried item at the same moment.
import type { ReceivedNotification } from './calendar-subscription.js';

/** What the inbox's storage knows about a body's items (read by its adapter before deciding). */
export interface InboxKnowledge {
  /** An item with this dedupe key is in the inbox already (Graph retried it). */
  stored(dedupeKey: string): boolean;
  /** One of our subscriptions has this id. */
  subscribed(subscriptionId: string): boolean;
  /**
   * One of our subscriptions was created by Graph but its id is not stored yet (Graph notifies before its
   * answer to the creation arrives), and its client state is this one: the client state vouches.
   */
  awaitingId(clientState: string | null): boolean;
}

/** The items to store, in the body's order: new ones (the first of a repeated key) of known subscriptions. */
export function admittedToInbox(
  items: readonly ReceivedNotification[],
  knowledge: InboxKnowledge,
): ReceivedNotification[] {
  const seen = new Set<string>();
  return items.filter((n) => {
    if (seen.has(n.dedupeKey) || knowledge.stored(n.dedupeKey)) return false;
    if (!knowledge.subscribed(n.subscriptionId) && !knowledge.awaitingId(n.clientState)) return false;
    seen.add(n.dedupeKey);
    return true;
  });
}
