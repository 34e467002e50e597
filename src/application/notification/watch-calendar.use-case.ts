// Keeps one Graph subscription per connected member: made when they connect (a failure is recorded and
// logged, never a failed sign-in; Microsoft refusing the member's access is recorded through
// RecordMicrosoftFailure), replaced when Graph loses it, removed when they disconnect.
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { requestedExpiry, renewalDue, retryCreationAt } from '@domain/notification/calendar-subscription.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ConnectionListener } from '../ports/connection.listener.js';
import { CalendarChangeFeed, SubscriptionRefused } from '../ports/calendar-change-feed.js';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '../ports/calendar-subscription.repository.js';
import { ClientStates } from '../ports/client-states.js';
import { OperationalLog } from '../ports/operational-log.js';
import { RecordMicrosoftFailure } from '../connection/record-microsoft-failure.use-case.js';

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 1000);
}

/** The connection itself is unusable: nothing to retry until the member signs in again. */
export function isConnectionLost(error: unknown): boolean {
  return (
    error instanceof DomainError &&
    (error.code === 'CONSENT_REVOKED' || error.code === 'MICROSOFT_NOT_CONNECTED')
  );
}

export class WatchCalendar extends ConnectionListener {
  constructor(
    private readonly subscriptions: CalendarSubscriptionRepository,
    private readonly feed: CalendarChangeFeed,
    private readonly clientStates: ClientStates,
    private readonly clock: Clock,
    private readonly log: OperationalLog,
    private readonly failures: RecordMicrosoftFailure,
  ) {
    super();
  }

  async connected(connection: MicrosoftConnection): Promise<void> {
    await this.subscribe(connection.workspaceId, connection.memberId).catch(() => undefined);
  }

  async disconnected(connection: MicrosoftConnection): Promise<void> {
    const existing = await this.subscriptions.findByMember(connection.workspaceId, connection.memberId);
    if (!existing) return;
    if (existing.subscriptionId && connection.isUsable) {
      await this.feed
        .unsubscribe(connection.workspaceId, connection.memberId, existing.subscriptionId)
        .catch(() => undefined);
    }
    await this.subscriptions.delete(connection.workspaceId, connection.memberId);
  }

  /**
   * Creates the member's subscription, replacing any former one; records a failure instead of throwing.
   * The row is claimed first, with the new client state: of instances racing here one goes on (the others
   * answer what it claimed), and notifications Graph sends before its create answers are already vouched for.
   */
  async subscribe(
    workspaceId: string,
    memberId: string,
    options: { onlyIfUnwatched?: boolean } = {},
  ): Promise<StoredSubscription> {
    const now = this.clock.now();
    const found = await this.subscriptions.findByMember(workspaceId, memberId);
    // The backfill of members without a row: another instance that got there first (its claim is a row,
    // even while its create is under way) has the member, so this one leaves it alone.
    if (found && options.onlyIfUnwatched) return found;
    const existing = options.onlyIfUnwatched ? null : found;
    const state = this.clientStates.issue();
    const deltaLink = existing?.deltaLink ?? null;
    const pending: StoredSubscription = {
      workspaceId,
      memberId,
      subscriptionId: null,
      // Until Graph answers; if this instance dies meanwhile, the renewal job tries again.
      status: 'failed',
      expiresAt: null,
      dueAt: retryCreationAt(now),
      deltaLink,
      failureReason: 'The subscription is being made.',
      clientStateHash: state.hash,
    };
    const claimed = await this.subscriptions.saveIf(pending, existing && expectedOf(existing), now);
    if (!claimed) return (await this.subscriptions.findByMember(workspaceId, memberId)) ?? pending;
    if (existing?.subscriptionId) {
      // A former subscription (e.g. before a revocation) would keep notifying: let Graph drop it.
      await this.feed.unsubscribe(workspaceId, memberId, existing.subscriptionId).catch(() => undefined);
    }
    let subscription: StoredSubscription;
    try {
      const created = await this.feed.subscribe(workspaceId, memberId, {
        clientState: state.value,
        expiresAt: requestedExpiry(now),
      });
      subscription = {
        workspaceId,
        memberId,
        subscriptionId: created.subscriptionId,
        status: 'active',
        expiresAt: created.expiresAt,
        dueAt: renewalDue(created.expiresAt, now),
        deltaLink,
        failureReason: null,
        clientStateHash: state.hash,
      };
    } catch (error) {
      await this.failures.recordRefusalIn(error);
      const lost = isConnectionLost(error);
      subscription = {
        workspaceId,
        memberId,
        subscriptionId: null,
        status: lost ? 'stopped' : 'failed',
        expiresAt: null,
        // Refused (URL not validated) or not reachable: try again later; the cache meanwhile stays short.
        dueAt: lost ? null : retryCreationAt(now),
        deltaLink,
        failureReason:
          error instanceof SubscriptionRefused
            ? error.reason
            : `Could not subscribe: ${describeFailure(error)}`,
        clientStateHash: null,
      };
      // A lost connection was logged when it was lost; anything else leaves the member without notifications.
      if (!lost)
        this.log.warn(
          'graph.subscription_refused',
          `Could not make the Graph subscription of member ${memberId} (tried again at ${subscription.dueAt!.toISOString()}): ${subscription.failureReason}`,
          {
            workspaceId,
            memberId,
            reason: subscription.failureReason,
            nextAttemptAt: subscription.dueAt!.toISOString(),
          },
        );
    }
    if (await this.subscriptions.saveIf(subscription, expectedOf(pending), now)) return subscription;
    // Replaced or removed meanwhile (a disconnect, a newer subscribe): ours must not notify on its own.
    if (subscription.subscriptionId) {
      await this.feed.unsubscribe(workspaceId, memberId, subscription.subscriptionId).catch(() => undefined);
    }
    return (await this.subscriptions.findByMember(workspaceId, memberId)) ?? subscription;
  }
}

function expectedOf(s: StoredSubscription): {
  subscriptionId: string | null;
  clientStateHash: string | null;
} {
  return { subscriptionId: s.subscriptionId, clientStateHash: s.clientStateHash };
}
