// Graph's subscriptions and delta feed in memory, for fast tests of the change-notification use cases.
import { randomUUID } from 'node:crypto';
import {
  CalendarChangeFeed,
  DeltaExpired,
  SubscriptionGone,
  SubscriptionRefused,
  type DeltaPage,
} from '@application/ports/calendar-change-feed.js';

/** Graph's subscriptions and delta in memory: events changed are listed by `touch`, delta tokens expire on demand. */
export class FakeCalendarChangeFeed extends CalendarChangeFeed {
  readonly subscriptions = new Map<string, { memberId: string; clientState: string; expiresAt: Date }>();
  readonly calls: string[] = [];
  /** Why the next creates are refused (e.g. the notification URL is not reachable). */
  refuse: string | null = null;
  /** Changes per delta page (Graph's odata.maxpagesize); unlimited when null. */
  pageSize: number | null = null;
  /** Event ids changed, in order; each link says where its page starts (and where its round ends). */
  private readonly changes: string[] = [];
  private readonly tokens = new Map<string, { since: number; upTo: number | null }>();

  async subscribe(
    _workspaceId: string,
    memberId: string,
    request: { clientState: string; expiresAt: Date },
  ): Promise<{ subscriptionId: string; expiresAt: Date }> {
    this.calls.push('subscribe');
    if (this.refuse) throw new SubscriptionRefused(this.refuse);
    const id = randomUUID();
    this.subscriptions.set(id, { memberId, ...request });
    return { subscriptionId: id, expiresAt: request.expiresAt };
  }

  async renew(_w: string, _m: string, subscriptionId: string, expiresAt: Date): Promise<Date> {
    this.calls.push('renew');
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new SubscriptionGone();
    sub.expiresAt = expiresAt;
    return expiresAt;
  }

  async reauthorize(_w: string, _m: string, subscriptionId: string): Promise<void> {
    this.calls.push('reauthorize');
    if (!this.subscriptions.has(subscriptionId)) throw new SubscriptionGone();
  }

  async unsubscribe(_w: string, _m: string, subscriptionId: string): Promise<void> {
    this.calls.push('unsubscribe');
    this.subscriptions.delete(subscriptionId);
  }

  /** An event changed in Outlook (seen by the next delta). */
  touch(eventId: string): void {
    this.changes.push(eventId);
  }

  /** Graph forgets every delta token (syncStateNotFound). */
  expireTokens(): void {
    this.tokens.clear();
  }

  async delta(
    _workspaceId: string,
    _memberId: string,
    from: { link: string } | { start: Date; end: Date },
  ): Promise<DeltaPage> {
    this.calls.push('link' in from ? 'delta:link' : 'delta:scratch');
    let since = 0;
    let upTo = this.changes.length;
    if ('link' in from) {
      const known = this.tokens.get(from.link);
      if (known === undefined) throw new DeltaExpired();
      since = known.since;
      upTo = known.upTo ?? upTo;
    }
    const end = this.pageSize === null ? upTo : Math.min(upTo, since + this.pageSize);
    const eventIds = [...new Set(this.changes.slice(since, end))];
    if (end < upTo) {
      const next = `page-${randomUUID()}`;
      this.tokens.set(next, { since: end, upTo });
      return { eventIds, nextLink: next, deltaLink: null };
    }
    const token = `delta-${randomUUID()}`;
    this.tokens.set(token, { since: end, upTo: null });
    return { eventIds, nextLink: null, deltaLink: token };
  }
}
