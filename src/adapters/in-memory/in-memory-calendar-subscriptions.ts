// Subscriptions, the notification inbox and a Graph subscription/delta feed in memory, for fast tests of
// the change-notification use cases (the claims and the one-insert inbox belong to the PostgreSQL suites).
import { createHash, randomUUID } from 'node:crypto';
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import {
  CalendarChangeFeed,
  DeltaExpired,
  SubscriptionGone,
  SubscriptionRefused,
  type DeltaPage,
} from '@application/ports/calendar-change-feed.js';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '@application/ports/calendar-subscription.repository.js';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import { ChangeNotificationInbox, type InboxItem } from '@application/ports/change-notification.inbox.js';

type Row = StoredSubscription & { rejected: number; lockedUntil: number };

/** A copy with only the port's fields (dates made in this realm, as a database read would). */
function view(r: Row): StoredSubscription {
  const date = (d: Date | null) => (d === null ? null : new Date(d.getTime()));
  return {
    workspaceId: r.workspaceId,
    memberId: r.memberId,
    subscriptionId: r.subscriptionId,
    clientStateHash: r.clientStateHash,
    status: r.status,
    expiresAt: date(r.expiresAt),
    dueAt: date(r.dueAt),
    deltaLink: r.deltaLink,
    failureReason: r.failureReason,
  };
}

export class InMemoryCalendarSubscriptionRepository extends CalendarSubscriptionRepository {
  readonly rows = new Map<string, Row>();
  /** Members whose Microsoft connection is usable (member id → workspace id), as the connection store says. */
  readonly connected = new Map<string, string>();

  async unwatched(limit: number): Promise<{ workspaceId: string; memberId: string }[]> {
    return [...this.connected]
      .filter(([memberId]) => !this.rows.has(memberId))
      .slice(0, limit)
      .map(([memberId, workspaceId]) => ({ workspaceId, memberId }));
  }

  async findByMember(workspaceId: string, memberId: string): Promise<StoredSubscription | null> {
    const row = this.rows.get(memberId);
    return row && row.workspaceId === workspaceId ? view(row) : null;
  }

  async findBySubscriptionId(subscriptionId: string): Promise<StoredSubscription | null> {
    const row = [...this.rows.values()].find((r) => r.subscriptionId === subscriptionId);
    return row ? view(row) : null;
  }

  async save(s: StoredSubscription): Promise<void> {
    const rejected = this.rows.get(s.memberId)?.rejected ?? 0;
    this.rows.set(s.memberId, { ...view({ ...s, rejected, lockedUntil: 0 }), rejected, lockedUntil: 0 });
  }

  async saveIf(
    s: StoredSubscription,
    expected: { subscriptionId: string | null; clientStateHash: string | null } | null,
  ): Promise<boolean> {
    const row = this.rows.get(s.memberId);
    const matches = expected
      ? row?.workspaceId === s.workspaceId &&
        row.subscriptionId === expected.subscriptionId &&
        row.clientStateHash === expected.clientStateHash
      : !row;
    if (matches) await this.save(s);
    return matches;
  }

  /** A row whose Graph subscription is being made, vouched for by the client state it was given. */
  pendingFor(clientState: string | null): boolean {
    if (clientState === null) return false;
    const hash = createHash('sha256').update(clientState, 'utf8').digest('hex');
    return [...this.rows.values()].some((r) => r.subscriptionId === null && r.clientStateHash === hash);
  }

  async delete(workspaceId: string, memberId: string): Promise<void> {
    if (this.rows.get(memberId)?.workspaceId === workspaceId) this.rows.delete(memberId);
  }

  async stop(workspaceId: string, memberId: string, reason: string): Promise<void> {
    const row = this.rows.get(memberId);
    if (row?.workspaceId === workspaceId)
      Object.assign(row, { status: 'stopped', dueAt: null, failureReason: reason });
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<StoredSubscription[]> {
    const due = [...this.rows.values()]
      .filter(
        (r) =>
          r.dueAt !== null &&
          r.dueAt <= now &&
          (r.status === 'active' || r.status === 'failed') &&
          r.lockedUntil < now.getTime(),
      )
      .slice(0, limit);
    for (const r of due) r.lockedUntil = now.getTime() + leaseMs;
    return due.map(view);
  }

  async saveDeltaLink(workspaceId: string, memberId: string, deltaLink: string | null): Promise<void> {
    const row = this.rows.get(memberId);
    if (row?.workspaceId === workspaceId) row.deltaLink = deltaLink;
  }

  async recordNotified(): Promise<void> {}

  async countRejected(subscriptionId: string, count: number): Promise<void> {
    const row = [...this.rows.values()].find((r) => r.subscriptionId === subscriptionId);
    if (row) row.rejected += count;
  }
}

export class InMemoryChangeNotificationCoverage extends ChangeNotificationCoverage {
  constructor(private readonly subscriptions: InMemoryCalendarSubscriptionRepository) {
    super();
  }

  async liveMembers(workspaceId: string, memberIds: string[], now: Date): Promise<Set<string>> {
    return new Set(
      memberIds.filter((id) => {
        const r = this.subscriptions.rows.get(id);
        return r?.workspaceId === workspaceId && r.status === 'active' && r.expiresAt! > now;
      }),
    );
  }
}

export class InMemoryChangeNotificationInbox extends ChangeNotificationInbox {
  readonly items: (InboxItem & {
    key: string;
    dueAt: number;
    lockedUntil: number;
    done: boolean;
    error?: string;
  })[] = [];
  private next = 1;

  constructor(private readonly subscriptions: InMemoryCalendarSubscriptionRepository) {
    super();
  }

  async accept(items: ReceivedNotification[], now: Date): Promise<number> {
    let added = 0;
    for (const n of items) {
      if (this.items.some((i) => i.key === n.dedupeKey)) continue;
      const known = [...this.subscriptions.rows.values()].some((r) => r.subscriptionId === n.subscriptionId);
      if (!known && !this.subscriptions.pendingFor(n.clientState)) continue;
      this.items.push({
        id: String(this.next++),
        attempts: 0,
        notification: structuredClone(n),
        key: n.dedupeKey,
        dueAt: now.getTime(),
        lockedUntil: 0,
        done: false,
      });
      added++;
    }
    return added;
  }

  async claim(now: Date, leaseMs: number, limit: number): Promise<InboxItem[]> {
    const t = now.getTime();
    const due = this.items.filter((i) => !i.done && i.dueAt <= t && i.lockedUntil < t).slice(0, limit);
    for (const i of due) {
      i.lockedUntil = t + leaseMs;
      i.attempts++;
    }
    return due.map((i) => ({
      id: i.id,
      attempts: i.attempts,
      notification: structuredClone(i.notification),
    }));
  }

  async complete(ids: string[]): Promise<void> {
    for (const i of this.items) if (ids.includes(i.id)) i.done = true;
  }

  async retryAt(ids: string[], at: Date, error: string): Promise<void> {
    for (const i of this.items)
      if (ids.includes(i.id)) Object.assign(i, { dueAt: at.getTime(), lockedUntil: 0, error });
  }

  pending(): number {
    return this.items.filter((i) => !i.done).length;
  }
}

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
