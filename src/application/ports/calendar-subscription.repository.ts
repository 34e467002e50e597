// Where members' Graph subscriptions are kept, with what the renewal job claims and what notifications
// are checked against (a hash of the client state, never the state itself).
import type { CalendarSubscription } from '@domain/notification/calendar-subscription.js';

export interface StoredSubscription extends CalendarSubscription {
  clientStateHash: string | null;
}

export abstract class CalendarSubscriptionRepository {
  abstract findByMember(workspaceId: string, memberId: string): Promise<StoredSubscription | null>;
  abstract findBySubscriptionId(subscriptionId: string): Promise<StoredSubscription | null>;
  /** Inserts or replaces the member's subscription (one per member). */
  abstract save(subscription: StoredSubscription, now: Date): Promise<void>;
  /**
   * Saves only if the member's row is still `expected` (its Graph id and client-state hash; null: no row
   * yet), atomically; says whether it did. Instances racing to make a member's subscription: one wins.
   */
  abstract saveIf(
    subscription: StoredSubscription,
    expected: { subscriptionId: string | null; clientStateHash: string | null } | null,
    now: Date,
  ): Promise<boolean>;
  abstract delete(workspaceId: string, memberId: string): Promise<void>;
  /** The connection can no longer be used: no renewal, no live status (Graph cannot be called to remove it). */
  abstract stop(workspaceId: string, memberId: string, reason: string, now: Date): Promise<void>;
  /** Claims, once across instances for `leaseMs`, subscriptions whose renewal (or retry) is due. */
  abstract claimDue(now: Date, leaseMs: number, limit: number): Promise<StoredSubscription[]>;
  /** Connected members with no subscription row at all (e.g. connected before subscriptions existed). */
  abstract unwatched(limit: number): Promise<{ workspaceId: string; memberId: string }[]>;
  abstract saveDeltaLink(workspaceId: string, memberId: string, deltaLink: string | null): Promise<void>;
  /**
   * Records that a notification of the subscription was handled at `now`, to the minute: a busy calendar's
   * notifications write it at most once a minute (a diagnostic; every write also tells the read caches).
   */
  abstract recordNotified(subscriptionId: string, now: Date): Promise<void>;
  /** Counts notifications dropped for a wrong clientState. */
  abstract countRejected(subscriptionId: string, count: number): Promise<void>;
}
