// Graph change notifications as the core needs them: subscriptions on a member's Outlook events (created
// with the validation handshake, renewed, removed) and the delta query that resynchronises after a gap.

/** Graph no longer has the subscription (expired, removed): create a new one. */
export class SubscriptionGone extends Error {
  constructor(message = 'The subscription no longer exists.') {
    super(message);
    this.name = 'SubscriptionGone';
  }
}

/** Graph refused to create the subscription (notification URL not validated, quota…): no use retrying soon. */
export class SubscriptionRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SubscriptionRefused';
  }
}

/** The delta token is no longer known (syncStateNotFound, resyncRequired): start over. */
export class DeltaExpired extends Error {
  constructor() {
    super('The delta token expired.');
    this.name = 'DeltaExpired';
  }
}

export interface DeltaPage {
  /** Events added, changed or removed in the window since the last token. */
  eventIds: string[];
  /** Either the next page to read, or the link that starts the next resync. */
  nextLink: string | null;
  deltaLink: string | null;
}

export abstract class CalendarChangeFeed {
  abstract subscribe(
    workspaceId: string,
    memberId: string,
    request: { clientState: string; expiresAt: Date },
  ): Promise<{ subscriptionId: string; expiresAt: Date }>;
  /** Throws SubscriptionGone. Returns the expiry Graph granted. */
  abstract renew(
    workspaceId: string,
    memberId: string,
    subscriptionId: string,
    expiresAt: Date,
  ): Promise<Date>;
  /** Answers a subscription whose access is expiring (Graph's reauthorizationRequired); throws SubscriptionGone. */
  abstract reauthorize(workspaceId: string, memberId: string, subscriptionId: string): Promise<void>;
  /** A subscription already gone counts as removed. */
  abstract unsubscribe(workspaceId: string, memberId: string, subscriptionId: string): Promise<void>;
  /** One page of calendarView/delta: from a link, or from scratch over the window. Throws DeltaExpired. */
  abstract delta(
    workspaceId: string,
    memberId: string,
    from: { link: string } | { start: Date; end: Date },
  ): Promise<DeltaPage>;
}
