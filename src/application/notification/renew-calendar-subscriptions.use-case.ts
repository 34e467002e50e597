// The renewal job: subscriptions are renewed well before Graph's expiry; one Graph no longer has is made
// again (and the calendar resynchronised); one that could not be made is tried again now and then; a
// connected member with none at all (connected before subscriptions existed) gets one. Every problem is a
// warn line: a member without a live subscription has slower, costlier free/busy until it is fixed.
// Microsoft refusing the member's access is recorded (RecordMicrosoftFailure) and the renewal stops.
import { renewalDue, requestedExpiry } from '@domain/notification/calendar-subscription.js';
import { Clock } from '../ports/clock.js';
import { CalendarChangeFeed, SubscriptionGone } from '../ports/calendar-change-feed.js';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '../ports/calendar-subscription.repository.js';
import { OperationalLog } from '../ports/operational-log.js';
import { RecordMicrosoftFailure } from '../connection/record-microsoft-failure.use-case.js';
import { ResyncCalendar } from './resync-calendar.use-case.js';
import { describeFailure, isConnectionLost, WatchCalendar } from './watch-calendar.use-case.js';

export const RENEWAL_LEASE_MS = 5 * 60_000;
const RETRY_MS = 5 * 60_000;

export type RenewalOutcome = 'renewed' | 'recreated' | 'created' | 'failed' | 'stopped' | 'retry';

export class RenewCalendarSubscriptions {
  constructor(
    private readonly subscriptions: CalendarSubscriptionRepository,
    private readonly feed: CalendarChangeFeed,
    private readonly watch: WatchCalendar,
    private readonly resync: ResyncCalendar,
    private readonly clock: Clock,
    private readonly log: OperationalLog,
    private readonly failures: RecordMicrosoftFailure,
  ) {}

  /** Renews every due subscription (up to `limit`); returns what happened to each. */
  async runOnce(limit = 50): Promise<RenewalOutcome[]> {
    const due = await this.subscriptions.claimDue(this.clock.now(), RENEWAL_LEASE_MS, limit);
    const outcomes: RenewalOutcome[] = [];
    for (const sub of due) outcomes.push(await this.renewOne(sub));
    // Several instances may pick the same member: the first to claim its row makes it, the others leave it.
    for (const member of await this.subscriptions.unwatched(limit)) {
      const made = await this.watch.subscribe(member.workspaceId, member.memberId, { onlyIfUnwatched: true });
      outcomes.push(made.status === 'active' ? 'created' : made.status === 'stopped' ? 'stopped' : 'failed');
    }
    return outcomes;
  }

  private async renewOne(sub: StoredSubscription): Promise<RenewalOutcome> {
    const now = this.clock.now();
    try {
      if (sub.status !== 'active' || !sub.subscriptionId) return await this.recreate(sub);
      const expiresAt = await this.feed.renew(
        sub.workspaceId,
        sub.memberId,
        sub.subscriptionId,
        requestedExpiry(now),
      );
      await this.subscriptions.save(
        { ...sub, expiresAt, dueAt: renewalDue(expiresAt, now), failureReason: null },
        now,
      );
      return 'renewed';
    } catch (error) {
      await this.failures.recordRefusalIn(error);
      if (error instanceof SubscriptionGone) {
        this.log.warn(
          'graph.subscription_lost',
          `Graph no longer has subscription ${sub.subscriptionId}: it is made again and the calendar resynchronised`,
          { workspaceId: sub.workspaceId, memberId: sub.memberId, subscriptionId: sub.subscriptionId },
        );
        return this.recreate(sub).catch(async (again: unknown) => {
          await this.failures.recordRefusalIn(again);
          return this.later(sub, again);
        });
      }
      if (isConnectionLost(error)) {
        await this.subscriptions.stop(sub.workspaceId, sub.memberId, describeFailure(error), now);
        this.log.warn(
          'graph.subscription_stopped',
          `Stopped renewing subscription ${sub.subscriptionId}: the member's connection can no longer be used (${describeFailure(error)})`,
          {
            workspaceId: sub.workspaceId,
            memberId: sub.memberId,
            subscriptionId: sub.subscriptionId,
            reason: describeFailure(error),
          },
        );
        return 'stopped';
      }
      return this.later(sub, error);
    }
  }

  private async recreate(sub: StoredSubscription): Promise<RenewalOutcome> {
    const made = await this.watch.subscribe(sub.workspaceId, sub.memberId);
    if (made.status === 'stopped') return 'stopped';
    if (made.status !== 'active') return 'failed';
    // Changes made while there was no subscription were never notified.
    await this.resync.execute(sub.workspaceId, sub.memberId);
    return 'recreated';
  }

  private async later(sub: StoredSubscription, error: unknown): Promise<RenewalOutcome> {
    const now = this.clock.now();
    const at = new Date(now.getTime() + RETRY_MS);
    await this.subscriptions.save({ ...sub, dueAt: at, failureReason: describeFailure(error) }, now);
    this.log.warn(
      'graph.subscription_renewal_failed',
      `Renewing subscription ${sub.subscriptionId ?? '(none yet)'} failed, tried again at ${at.toISOString()}: ${describeFailure(error)}`,
      {
        workspaceId: sub.workspaceId,
        memberId: sub.memberId,
        subscriptionId: sub.subscriptionId,
        error: describeFailure(error),
        nextAttemptAt: at.toISOString(),
      },
    );
    return 'retry';
  }
}
