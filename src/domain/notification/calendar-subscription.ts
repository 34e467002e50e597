// A member's Graph change-notification subscription on their Outlook events: how long to ask for, when to
// renew, and what a received notification looks like once parsed (M365.md "Change notifications").

/** Valid under both published maxima for Outlook events (4,230 and 10,080 minutes). */
export const MAX_SUBSCRIPTION_MINUTES = 4230;
/** Renew when less than a third of the lifetime, or less than a day, is left: whichever comes first. */
const RENEW_MARGIN_MS = Math.max((MAX_SUBSCRIPTION_MINUTES * 60_000) / 3, 24 * 3600_000);

export type SubscriptionStatus = 'active' | 'failed' | 'stopped';

export interface CalendarSubscription {
  workspaceId: string;
  memberId: string;
  /** Graph's id; null when creation failed. */
  subscriptionId: string | null;
  status: SubscriptionStatus;
  expiresAt: Date | null;
  /** When the renewal job next looks at it (renewal, or another try at creating it). */
  dueAt: Date | null;
  deltaLink: string | null;
  failureReason: string | null;
}

/** The expiry to ask Graph for: ten minutes under the maximum, so clock skew never makes it refuse. */
export function requestedExpiry(now: Date): Date {
  return new Date(now.getTime() + (MAX_SUBSCRIPTION_MINUTES - 10) * 60_000);
}

/** When a subscription that Graph keeps until `expiresAt` should be renewed. */
export function renewalDue(expiresAt: Date, now: Date): Date {
  const at = expiresAt.getTime() - RENEW_MARGIN_MS;
  // A short expiry (Graph may grant less than asked) is renewed halfway.
  return new Date(Math.max(at, now.getTime() + (expiresAt.getTime() - now.getTime()) / 2));
}

/** Another try at creating a subscription that could not be made (the notification URL may come back). */
export function retryCreationAt(now: Date): Date {
  return new Date(now.getTime() + 3600_000);
}

/** Whether the member's free/busy can be trusted to be pushed to us. */
export function isLive(subscription: CalendarSubscription | null, now: Date): boolean {
  return (
    subscription !== null &&
    subscription.status === 'active' &&
    subscription.expiresAt !== null &&
    subscription.expiresAt.getTime() > now.getTime()
  );
}

/**
 * What Microsoft told us about a subscription, in our words (the Graph adapter translates Graph's
 * lifecycle names): its access must be confirmed again before it expires, it was removed, or
 * notifications were lost and the calendar must be read again.
 */
export type LifecycleEvent = 'access_expiring' | 'subscription_removed' | 'notifications_missed';

export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = [
  'access_expiring',
  'subscription_removed',
  'notifications_missed',
];

/** One item of a notification body, reduced to what processing needs. */
export type ReceivedNotification =
  | {
      kind: 'change';
      subscriptionId: string;
      clientState: string | null;
      changeType: string;
      eventId: string | null;
      /** The event's version after the change (Graph's `resourceData["@odata.etag"]`), null when not given. */
      changeKey: string | null;
      /** Identifies the item across Graph's retries. */
      dedupeKey: string;
    }
  | {
      kind: 'lifecycle';
      subscriptionId: string;
      clientState: string | null;
      lifecycleEvent: LifecycleEvent;
      dedupeKey: string;
    };
