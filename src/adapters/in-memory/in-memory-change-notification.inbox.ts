// The notification inbox in memory, for fast tests of the change-notification use cases (the one-insert
// inbox and its claims belong to the PostgreSQL suites).
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { admittedToInbox } from '@domain/notification/inbox-admission.js';
import { ChangeNotificationInbox, type InboxItem } from '@application/ports/change-notification.inbox.js';
import type { InMemoryCalendarSubscriptionRepository } from './in-memory-calendar-subscription.repository.js';

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
    const admitted = admittedToInbox(items, {
      stored: (key) => this.items.some((i) => i.key === key),
      subscribed: (id) => [...this.subscriptions.rows.values()].some((r) => r.subscriptionId === id),
      awaitingId: (clientState) => this.subscriptions.pendingFor(clientState),
    });
    for (const n of admitted) {
      this.items.push({
        id: String(this.next++),
        attempts: 0,
        notification: structuredClone(n),
        key: n.dedupeKey,
        dueAt: now.getTime(),
        lockedUntil: 0,
        done: false,
      });
    }
    return admitted.length;
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
