// Members' Graph subscriptions in memory, for fast tests of the change-notification use cases.
import { createHash } from 'node:crypto';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '@application/ports/calendar-subscription.repository.js';

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
