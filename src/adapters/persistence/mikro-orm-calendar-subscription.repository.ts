// Members' Graph subscriptions in PostgreSQL. The renewal job's claims are atomic updates over
// `for update skip locked` with a lease, so several instances share renewals.
import type { EntityManager } from '@mikro-orm/core';
import type { SubscriptionStatus } from '@domain/notification/calendar-subscription.js';
import {
  CalendarSubscriptionRepository,
  type StoredSubscription,
} from '@application/ports/calendar-subscription.repository.js';
import { isUuid } from '@domain/shared/validation.js';
import { dateOrNull, execute, insertList, leaseClaim, setList, type Column } from './sql.js';

interface SubscriptionRow {
  member_id: string;
  workspace_id: string;
  subscription_id: string | null;
  client_state_hash: string | null;
  status: SubscriptionStatus;
  expires_at: Date | string | null;
  due_at: Date | string | null;
  delta_link: string | null;
  failure_reason: string | null;
}

function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    workspaceId: row.workspace_id,
    memberId: row.member_id,
    subscriptionId: row.subscription_id,
    clientStateHash: row.client_state_hash,
    status: row.status,
    expiresAt: dateOrNull(row.expires_at),
    dueAt: dateOrNull(row.due_at),
    deltaLink: row.delta_link,
    failureReason: row.failure_reason,
  };
}

/** What a save writes besides the member's keys, by column name: the INSERTs and the UPDATE use these. */
function stateOf(s: StoredSubscription): Record<string, Column> {
  return {
    subscription_id: { value: s.subscriptionId },
    client_state_hash: { value: s.clientStateHash },
    status: { value: s.status },
    expires_at: { value: s.expiresAt },
    due_at: { value: s.dueAt },
    delta_link: { value: s.deltaLink },
    failure_reason: { value: s.failureReason },
    locked_until: { value: null },
  };
}

/** A whole new row: the member's keys, its state and both timestamps. */
function newRow(s: StoredSubscription, now: Date) {
  return insertList({
    member_id: { value: s.memberId },
    workspace_id: { value: s.workspaceId },
    ...stateOf(s),
    created_at: { value: now },
    updated_at: { value: now },
  });
}

const COLUMNS =
  'member_id, workspace_id, subscription_id, client_state_hash, status, expires_at, due_at, delta_link, failure_reason';

/** `last_notification_at` is kept to this resolution (recordNotified). */
const NOTIFIED_RESOLUTION_MS = 60_000;

export class MikroOrmCalendarSubscriptionRepository extends CalendarSubscriptionRepository {
  /** When this instance last wrote each subscription's `last_notification_at`, in epoch ms. */
  private readonly notifiedAt = new Map<string, number>();

  constructor(private readonly em: EntityManager) {
    super();
  }

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return execute<T>(this.em, query, params);
  }

  async findByMember(workspaceId: string, memberId: string): Promise<StoredSubscription | null> {
    if (!isUuid(memberId)) return null;
    const rows = await this.sql<SubscriptionRow>(
      `select ${COLUMNS} from graph_subscriptions where workspace_id = ? and member_id = ?`,
      [workspaceId, memberId],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async findBySubscriptionId(subscriptionId: string): Promise<StoredSubscription | null> {
    const rows = await this.sql<SubscriptionRow>(
      `select ${COLUMNS} from graph_subscriptions where subscription_id = ?`,
      [subscriptionId],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async save(s: StoredSubscription, now: Date): Promise<void> {
    const row = newRow(s, now);
    const update = Object.keys(stateOf(s))
      .concat('updated_at')
      .map((name) => `${name} = excluded.${name}`)
      .join(', ');
    await this.sql(
      `insert into graph_subscriptions (${row.names}) values (${row.placeholders})
       on conflict (member_id) do update set ${update}`,
      row.values,
    );
  }

  async saveIf(
    s: StoredSubscription,
    expected: { subscriptionId: string | null; clientStateHash: string | null } | null,
    now: Date,
  ): Promise<boolean> {
    if (!isUuid(s.memberId)) return false;
    if (expected) {
      const set = setList({ ...stateOf(s), updated_at: { value: now } });
      const rows = await this.sql(
        `update graph_subscriptions set ${set.assignments}
         where workspace_id = ? and member_id = ?
           and subscription_id is not distinct from ? and client_state_hash is not distinct from ?
         returning member_id`,
        [...set.values, s.workspaceId, s.memberId, expected.subscriptionId, expected.clientStateHash],
      );
      return rows.length > 0;
    }
    const row = newRow(s, now);
    const rows = await this.sql(
      `insert into graph_subscriptions (${row.names}) values (${row.placeholders})
       on conflict (member_id) do nothing returning member_id`,
      row.values,
    );
    return rows.length > 0;
  }

  async delete(workspaceId: string, memberId: string): Promise<void> {
    if (!isUuid(memberId)) return;
    await this.sql('delete from graph_subscriptions where workspace_id = ? and member_id = ?', [
      workspaceId,
      memberId,
    ]);
  }

  async stop(workspaceId: string, memberId: string, reason: string, now: Date): Promise<void> {
    if (!isUuid(memberId)) return;
    await this.sql(
      `update graph_subscriptions set status = 'stopped', due_at = null, locked_until = null,
         failure_reason = ?, updated_at = ? where workspace_id = ? and member_id = ?`,
      [reason.slice(0, 1000), now, workspaceId, memberId],
    );
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<StoredSubscription[]> {
    const rows = await this.sql<SubscriptionRow>(
      leaseClaim({
        table: 'graph_subscriptions',
        key: 'member_id',
        set: 'locked_until = ?',
        due: "due_at <= ? and status in ('active', 'failed') and (locked_until is null or locked_until < ?)",
        orderBy: 'due_at',
        returning: COLUMNS,
      }),
      [new Date(now.getTime() + leaseMs), now, now, limit],
    );
    return rows.map(toSubscription);
  }

  async unwatched(limit: number): Promise<{ workspaceId: string; memberId: string }[]> {
    const rows = await this.sql<{ workspace_id: string; member_id: string }>(
      `select c.workspace_id, c.member_id from microsoft_connections c
       where c.status = 'connected'
         and not exists (select 1 from graph_subscriptions s where s.member_id = c.member_id)
       order by c.connected_at, c.member_id limit ?`,
      [limit],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, memberId: r.member_id }));
  }

  async saveDeltaLink(workspaceId: string, memberId: string, deltaLink: string | null): Promise<void> {
    await this.sql('update graph_subscriptions set delta_link = ? where workspace_id = ? and member_id = ?', [
      deltaLink,
      workspaceId,
      memberId,
    ]);
  }

  async recordNotified(subscriptionId: string, now: Date): Promise<void> {
    // Once a minute per subscription: skipped in process when this instance wrote it less than a minute ago,
    // and left as it is when another instance did.
    const at = now.getTime();
    if (at - (this.notifiedAt.get(subscriptionId) ?? -Infinity) < NOTIFIED_RESOLUTION_MS) return;
    if (this.notifiedAt.size >= 10_000) this.notifiedAt.clear();
    this.notifiedAt.set(subscriptionId, at);
    await this.sql(
      `update graph_subscriptions set last_notification_at = ? where subscription_id = ?
         and (last_notification_at is null or last_notification_at <= ?)`,
      [now, subscriptionId, new Date(at - NOTIFIED_RESOLUTION_MS)],
    );
  }

  async countRejected(subscriptionId: string, count: number): Promise<void> {
    await this.sql(
      'update graph_subscriptions set rejected_notifications = rejected_notifications + ? where subscription_id = ?',
      [count, subscriptionId],
    );
  }
}
