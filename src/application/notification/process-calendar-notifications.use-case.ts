// The worker behind the notification endpoints: checks each item's clientState (a wrong one is dropped,
// counted and logged), invalidates the member's cached free/busy, lets bookings follow their Outlook events,
// and answers lifecycle events (reauthorize, recreate then resync, resync). Items that fail are retried
// (a warn line each time, an error line when given up); one that met Microsoft refusing the member's access
// records it (RecordMicrosoftFailure), which stops the member's subscription.
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { renewalDue, requestedExpiry } from '@domain/notification/calendar-subscription.js';
import { Clock } from '../ports/clock.js';
import { CalendarChangeFeed, SubscriptionGone } from '../ports/calendar-change-feed.js';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '../ports/calendar-subscription.repository.js';
import { ChangeNotificationInbox, type InboxItem } from '../ports/change-notification.inbox.js';
import { ClientStates } from '../ports/client-states.js';
import { CalendarVersions } from '../ports/calendar-versions.js';
import { OperationalLog } from '../ports/operational-log.js';
import { RecordMicrosoftFailure } from '../connection/record-microsoft-failure.use-case.js';
import { FollowOutlookEvent } from './follow-outlook-event.js';
import { ResyncCalendar } from './resync-calendar.use-case.js';
import { describeFailure, WatchCalendar } from './watch-calendar.use-case.js';

export const INBOX_LEASE_MS = 60_000;
/** After this many failed attempts an item is given up (a later notification or resync catches up). */
export const INBOX_MAX_ATTEMPTS = 8;

/** Items of a subscription whose id is not stored yet are looked at again this often, this many times. */
export const UNKNOWN_SUBSCRIPTION_RETRY_MS = 2_000;
const UNKNOWN_SUBSCRIPTION_ATTEMPTS = 5;

export function inboxBackoffMs(attempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

export interface ProcessReport {
  claimed: number;
  rejected: number;
  failed: number;
}

export class ProcessCalendarNotifications {
  /** Notifications dropped for a wrong clientState since start (also counted per subscription). */
  rejectedTotal = 0;

  constructor(
    private readonly inbox: ChangeNotificationInbox,
    private readonly subscriptions: CalendarSubscriptionRepository,
    private readonly clientStates: ClientStates,
    private readonly versions: CalendarVersions,
    private readonly follow: FollowOutlookEvent,
    private readonly watch: WatchCalendar,
    private readonly resync: ResyncCalendar,
    private readonly feed: CalendarChangeFeed,
    private readonly clock: Clock,
    private readonly log: OperationalLog,
    private readonly refusals: RecordMicrosoftFailure,
  ) {}

  async runOnce(batch = 200): Promise<ProcessReport> {
    const now = this.clock.now();
    const items = await this.inbox.claim(now, INBOX_LEASE_MS, batch);
    const report: ProcessReport = { claimed: items.length, rejected: 0, failed: 0 };
    if (items.length === 0) return report;
    const subs = new Map<string, StoredSubscription | null>();
    const done: string[] = [];
    const changes = new Map<string, { sub: StoredSubscription; items: InboxItem[] }>();
    const lifecycle: { sub: StoredSubscription; item: InboxItem }[] = [];
    const rejected = new Map<string, number>();
    const unknown: string[] = [];
    const neverKnown = new Map<string, number>();
    for (const item of items) {
      const n = item.notification;
      if (!subs.has(n.subscriptionId))
        subs.set(n.subscriptionId, await this.subscriptions.findBySubscriptionId(n.subscriptionId));
      const sub = subs.get(n.subscriptionId)!;
      if (!sub && item.attempts < UNKNOWN_SUBSCRIPTION_ATTEMPTS) {
        // Accepted on the client state of a subscription being made: its id is stored in a moment.
        unknown.push(item.id);
        continue;
      }
      if (!sub) neverKnown.set(n.subscriptionId, (neverKnown.get(n.subscriptionId) ?? 0) + 1);
      // A stopped subscription's member was disconnected or revoked (said then): its late items mean nothing.
      if (!sub || sub.status === 'stopped') {
        done.push(item.id);
        continue;
      }
      if (!this.clientStates.matches(n.clientState, sub.clientStateHash)) {
        rejected.set(n.subscriptionId, (rejected.get(n.subscriptionId) ?? 0) + 1);
        done.push(item.id);
        continue;
      }
      if (n.kind === 'lifecycle') lifecycle.push({ sub, item });
      else {
        const group = changes.get(n.subscriptionId) ?? { sub, items: [] };
        group.items.push(item);
        changes.set(n.subscriptionId, group);
      }
    }
    for (const [subscriptionId, count] of rejected) {
      report.rejected += count;
      this.rejectedTotal += count;
      const sub = subs.get(subscriptionId)!;
      this.log.warn(
        'graph.notifications_dropped',
        `Dropped ${count} Graph notification(s) for subscription ${subscriptionId}: the clientState does not match (not sent by Graph for this subscription)`,
        {
          workspaceId: sub.workspaceId,
          memberId: sub.memberId,
          subscriptionId,
          count,
          reason: 'clientState mismatch',
        },
      );
      await this.subscriptions.countRejected(subscriptionId, count);
    }
    for (const [subscriptionId, count] of neverKnown)
      this.log.warn(
        'graph.notifications_dropped',
        `Dropped ${count} Graph notification(s) for subscription ${subscriptionId}, which kailenty does not know`,
        { subscriptionId, count, reason: 'unknown subscription' },
      );
    const failures: { items: InboxItem[]; error: unknown }[] = [];
    for (const { sub, items: group } of changes.values()) {
      try {
        await this.changed(sub, group);
        done.push(...group.map((i) => i.id));
      } catch (error) {
        await this.refusals.recordRefusalIn(error);
        failures.push({ items: group, error });
      }
    }
    const handled = new Set<string>();
    for (const { sub, item } of lifecycle) {
      // The same event twice in one batch (a redelivery) is handled once.
      const key = `${item.notification.subscriptionId}/${(item.notification as { lifecycleEvent: LifecycleEvent }).lifecycleEvent}`;
      if (handled.has(key)) {
        done.push(item.id);
        continue;
      }
      handled.add(key);
      try {
        await this.lifecycle(sub, (item.notification as { lifecycleEvent: LifecycleEvent }).lifecycleEvent);
        done.push(item.id);
      } catch (error) {
        await this.refusals.recordRefusalIn(error);
        failures.push({ items: [item], error });
      }
    }
    await this.inbox.complete(done, now);
    await this.inbox.retryAt(
      unknown,
      new Date(now.getTime() + UNKNOWN_SUBSCRIPTION_RETRY_MS),
      'Subscription not known yet',
    );
    for (const failure of failures) {
      const given = failure.items.filter((i) => i.attempts >= INBOX_MAX_ATTEMPTS);
      const again = failure.items.filter((i) => i.attempts < INBOX_MAX_ATTEMPTS);
      report.failed += failure.items.length;
      const error = describeFailure(failure.error);
      const sub = subs.get(failure.items[0]!.notification.subscriptionId);
      const whose = {
        workspaceId: sub?.workspaceId,
        memberId: sub?.memberId,
        subscriptionId: failure.items[0]!.notification.subscriptionId,
      };
      if (given.length > 0) {
        await this.inbox.complete(
          given.map((i) => i.id),
          now,
        );
        this.log.error(
          'graph.notification_given_up',
          `Gave up ${given.length} Graph notification(s) after ${INBOX_MAX_ATTEMPTS} attempts (a later notification or resync catches up): ${error}`,
          { ...whose, count: given.length, error },
        );
      }
      for (const item of again) {
        const at = new Date(now.getTime() + inboxBackoffMs(item.attempts));
        await this.inbox.retryAt([item.id], at, error);
        this.log.warn(
          'graph.notification_failed',
          `Processing a Graph notification failed (attempt ${item.attempts}), retried at ${at.toISOString()}: ${error}`,
          { ...whose, attempt: item.attempts, error, nextAttemptAt: at.toISOString() },
        );
      }
    }
    return report;
  }

  private async changed(sub: StoredSubscription, items: InboxItem[]): Promise<void> {
    const changeKeys = new Map<string, (string | null)[]>();
    let unknownEvent = false;
    for (const item of items) {
      const n = item.notification as Extract<ReceivedNotification, { kind: 'change' }>;
      if (!n.eventId) unknownEvent = true;
      // A deletion is never taken for our own write, whatever version it names.
      else
        changeKeys.set(n.eventId, [
          ...(changeKeys.get(n.eventId) ?? []),
          n.changeType === 'deleted' ? null : n.changeKey,
        ]);
    }
    // Once per member and batch, however many notifications came: the next slots query reads again. Only
    // our own writes coming back change nothing cached free/busy must learn (a new event adds busy time
    // where its booking already blocks; a move or cancel bumped the version when its sync committed); if
    // following fails, the version is bumped all the same.
    let ownWritesOnly = !unknownEvent;
    try {
      const outcomes = await this.follow.executeAll(
        sub.workspaceId,
        sub.memberId,
        [...changeKeys].map(([eventId, keys]) => ({ eventId, changeKeys: keys })),
      );
      if (outcomes.some((outcome) => outcome !== 'own_write')) ownWritesOnly = false;
    } catch (error) {
      ownWritesOnly = false;
      throw error;
    } finally {
      if (!ownWritesOnly) await this.versions.bump(sub.workspaceId, sub.memberId);
    }
    await this.subscriptions.recordNotified(sub.subscriptionId!, this.clock.now());
  }

  private async lifecycle(sub: StoredSubscription, event: LifecycleEvent): Promise<void> {
    switch (event) {
      case 'access_expiring': {
        const now = this.clock.now();
        try {
          await this.feed.reauthorize(sub.workspaceId, sub.memberId, sub.subscriptionId!);
          const expiresAt = await this.feed.renew(
            sub.workspaceId,
            sub.memberId,
            sub.subscriptionId!,
            requestedExpiry(now),
          );
          await this.subscriptions.save(
            { ...sub, status: 'active', expiresAt, dueAt: renewalDue(expiresAt, now), failureReason: null },
            now,
          );
        } catch (error) {
          if (!(error instanceof SubscriptionGone)) throw error;
          await this.recreate(sub);
        }
        return;
      }
      case 'subscription_removed':
        await this.recreate(sub);
        return;
      case 'notifications_missed':
        await this.resync.execute(sub.workspaceId, sub.memberId);
        return;
    }
  }

  private async recreate(sub: StoredSubscription): Promise<void> {
    const made = await this.watch.subscribe(sub.workspaceId, sub.memberId);
    await this.resync.execute(made.workspaceId, made.memberId);
  }
}
