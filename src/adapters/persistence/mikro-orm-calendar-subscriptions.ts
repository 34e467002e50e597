// Members' Graph subscriptions and the notification inbox in PostgreSQL. Claims are atomic updates over
// `for update skip locked` with a lease, so several instances share renewals and notifications; the inbox
// takes a whole notification body in one insert, keeping what the domain's acceptance rule admits (each
// retried item once, nothing of subscriptions it does not know), the unique dedupe key backing "once".
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type {
  LifecycleEvent,
  ReceivedNotification,
  SubscriptionStatus,
} from '@domain/notification/calendar-subscription.js';
import {
  CalendarSubscriptionRepository,
  ChangeNotificationCoverage,
  type StoredSubscription,
} from '@application/ports/calendar-subscription.repository.js';
import { admittedToInbox, type InboxKnowledge } from '@domain/notification/inbox-admission.js';
import { ChangeNotificationInbox, type InboxItem } from '@application/ports/change-notification.inbox.js';
import { isUuid } from './mikro-orm-member.repository.js';
import { execute } from './sql.js';

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

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    workspaceId: row.workspace_id,
    memberId: row.member_id,
    subscriptionId: row.subscription_id,
    clientStateHash: row.client_state_hash,
    status: row.status,
    expiresAt: date(row.expires_at),
    dueAt: date(row.due_at),
    deltaLink: row.delta_link,
    failureReason: row.failure_reason,
  };
}

/** The values of COLUMNS after member_id and workspace_id. */
function stateOf(s: StoredSubscription): unknown[] {
  return [s.subscriptionId, s.clientStateHash, s.status, s.expiresAt, s.dueAt, s.deltaLink, s.failureReason];
}

const COLUMNS =
  'member_id, workspace_id, subscription_id, client_state_hash, status, expires_at, due_at, delta_link, failure_reason';

export class MikroOrmCalendarSubscriptionRepository extends CalendarSubscriptionRepository {
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
    await this.sql(
      `insert into graph_subscriptions (${COLUMNS}, locked_until, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)
       on conflict (member_id) do update set subscription_id = excluded.subscription_id,
         client_state_hash = excluded.client_state_hash, status = excluded.status,
         expires_at = excluded.expires_at, due_at = excluded.due_at, delta_link = excluded.delta_link,
         failure_reason = excluded.failure_reason, locked_until = null, updated_at = excluded.updated_at`,
      [s.memberId, s.workspaceId, ...stateOf(s), now, now],
    );
  }

  async saveIf(
    s: StoredSubscription,
    expected: { subscriptionId: string | null; clientStateHash: string | null } | null,
    now: Date,
  ): Promise<boolean> {
    if (!isUuid(s.memberId)) return false;
    const values = stateOf(s);
    const rows = expected
      ? await this.sql(
          `update graph_subscriptions set subscription_id = ?, client_state_hash = ?, status = ?,
             expires_at = ?, due_at = ?, delta_link = ?, failure_reason = ?, locked_until = null, updated_at = ?
           where workspace_id = ? and member_id = ?
             and subscription_id is not distinct from ? and client_state_hash is not distinct from ?
           returning member_id`,
          [...values, now, s.workspaceId, s.memberId, expected.subscriptionId, expected.clientStateHash],
        )
      : await this.sql(
          `insert into graph_subscriptions (${COLUMNS}, locked_until, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)
           on conflict (member_id) do nothing returning member_id`,
          [s.memberId, s.workspaceId, ...values, now, now],
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
      `update graph_subscriptions set locked_until = ?
       where member_id in (
         select member_id from graph_subscriptions
         where due_at <= ? and status in ('active', 'failed') and (locked_until is null or locked_until < ?)
         order by due_at limit ? for update skip locked)
       returning ${COLUMNS}`,
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
    await this.sql('update graph_subscriptions set last_notification_at = ? where subscription_id = ?', [
      now,
      subscriptionId,
    ]);
  }

  async countRejected(subscriptionId: string, count: number): Promise<void> {
    await this.sql(
      'update graph_subscriptions set rejected_notifications = rejected_notifications + ? where subscription_id = ?',
      [count, subscriptionId],
    );
  }
}

export class MikroOrmChangeNotificationCoverage extends ChangeNotificationCoverage {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async liveMembers(workspaceId: string, memberIds: string[], now: Date): Promise<Set<string>> {
    const ids = memberIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await execute<{ member_id: string }>(
      this.em,
      `select member_id from graph_subscriptions where workspace_id = ? and status = 'active' and expires_at > ?
         and member_id in (${ids.map(() => '?').join(',')})`,
      [workspaceId, now, ...ids],
    );
    return new Set(rows.map((r) => r.member_id));
  }
}

interface InboxRow {
  id: string | number;
  kind: 'change' | 'lifecycle';
  subscription_id: string;
  payload: Record<string, unknown> | string;
  attempts: number;
}

function toItem(row: InboxRow): InboxItem {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
    string,
    unknown
  >;
  const base = {
    subscriptionId: row.subscription_id,
    clientState: typeof payload.clientState === 'string' ? payload.clientState : null,
    dedupeKey: '',
  };
  const notification: ReceivedNotification =
    row.kind === 'lifecycle'
      ? { ...base, kind: 'lifecycle', lifecycleEvent: payload.lifecycleEvent as LifecycleEvent }
      : {
          ...base,
          kind: 'change',
          changeType: String(payload.changeType ?? ''),
          eventId: typeof payload.eventId === 'string' ? payload.eventId : null,
        };
  return { id: String(row.id), attempts: row.attempts, notification };
}

interface InboxRecord {
  key: string;
  kind: 'change' | 'lifecycle';
  sub: string;
  payload: Record<string, unknown>;
}

function toRecord(n: ReceivedNotification): InboxRecord {
  return {
    key: n.dedupeKey,
    kind: n.kind,
    sub: n.subscriptionId,
    payload:
      n.kind === 'change'
        ? { clientState: n.clientState, changeType: n.changeType, eventId: n.eventId }
        : { clientState: n.clientState, lifecycleEvent: n.lifecycleEvent },
  };
}

export class MikroOrmChangeNotificationInbox extends ChangeNotificationInbox {
  constructor(private readonly em: EntityManager) {
    super();
  }

  /** Items waiting for the insert after the one under way, with the requests waiting on them. */
  private pending: {
    items: ReceivedNotification[];
    now: Date;
    done: (keys: Set<string>) => void;
    fail: (e: unknown) => void;
  }[] = [];
  private flushing = false;

  /**
   * Requests that arrive while an insert is under way are written together by the next one (group commit):
   * each still answers only once its items are stored, and the database sees one statement per batch.
   */
  async accept(items: ReceivedNotification[], now: Date): Promise<number> {
    const inserted = await new Promise<Set<string>>((done, fail) => {
      this.pending.push({ items, now, done, fail });
      if (!this.flushing) {
        this.flushing = true;
        // One turn of the event loop first: the requests already received join this insert.
        setImmediate(() => void this.flush());
      }
    });
    return items.filter((n) => inserted.has(n.dedupeKey)).length;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 500);
        try {
          const received = batch.flatMap((b) => b.items.map((n) => ({ n, at: b.now.toISOString() })));
          const admitted = new Set(
            admittedToInbox(
              received.map((r) => r.n),
              await this.knowledgeOf(received.map((r) => r.n)),
            ),
          );
          const records = received
            .filter((r) => admitted.has(r.n))
            .map((r) => ({ ...toRecord(r.n), at: r.at }));
          // The unique dedupe key settles an item two instances admitted at the same moment.
          const rows =
            records.length === 0
              ? []
              : await execute<{ dedupe_key: string }>(
                  this.em,
                  `insert into graph_notification_inbox (dedupe_key, kind, subscription_id, payload, received_at, due_at)
                   select v.key, v.kind, v.sub, v.payload, v.at, v.at
                   from jsonb_to_recordset(cast(? as jsonb))
                     as v(key text, kind text, sub text, payload jsonb, at timestamptz)
                   on conflict (dedupe_key) do nothing returning dedupe_key`,
                  [JSON.stringify(records)],
                );
          const keys = new Set(rows.map((r) => r.dedupe_key));
          for (const b of batch) b.done(keys);
        } catch (error) {
          for (const b of batch) b.fail(error);
        }
        if (this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.flushing = false;
    }
  }

  /** What the database knows of these items, for the domain's acceptance rule: one query. */
  private async knowledgeOf(items: ReceivedNotification[]): Promise<InboxKnowledge> {
    const hashOf = (clientState: string) => createHash('sha256').update(clientState, 'utf8').digest('hex');
    const states = items.flatMap((n) => (n.clientState === null ? [] : [hashOf(n.clientState)]));
    const rows = await execute<{ fact: 'stored' | 'subscribed' | 'awaiting'; value: string }>(
      this.em,
      `select 'stored' as fact, dedupe_key as value from graph_notification_inbox
         where dedupe_key in (select jsonb_array_elements_text(cast(? as jsonb)))
       union all
       select 'subscribed', subscription_id from graph_subscriptions
         where subscription_id in (select jsonb_array_elements_text(cast(? as jsonb)))
       union all
       select 'awaiting', client_state_hash from graph_subscriptions
         where subscription_id is null and client_state_hash in (select jsonb_array_elements_text(cast(? as jsonb)))`,
      [
        JSON.stringify(items.map((n) => n.dedupeKey)),
        JSON.stringify(items.map((n) => n.subscriptionId)),
        JSON.stringify(states),
      ],
    );
    const known = (fact: string) => new Set(rows.filter((r) => r.fact === fact).map((r) => r.value));
    const [stored, subscribed, awaiting] = [known('stored'), known('subscribed'), known('awaiting')];
    return {
      stored: (key) => stored.has(key),
      subscribed: (id) => subscribed.has(id),
      awaitingId: (clientState) => clientState !== null && awaiting.has(hashOf(clientState)),
    };
  }

  async claim(now: Date, leaseMs: number, limit: number): Promise<InboxItem[]> {
    const rows = await execute<InboxRow>(
      this.em,
      `update graph_notification_inbox set locked_until = ?, attempts = attempts + 1
       where id in (
         select id from graph_notification_inbox
         where processed_at is null and due_at <= ? and (locked_until is null or locked_until < ?)
         order by due_at, id limit ? for update skip locked)
       returning id, kind, subscription_id, payload, attempts`,
      [new Date(now.getTime() + leaseMs), now, now, limit],
    );
    return rows.map(toItem).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async complete(ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await execute(
      this.em,
      `update graph_notification_inbox set processed_at = ?, locked_until = null, payload = '{}'::jsonb
       where id in (${ids.map(() => '?').join(',')})`,
      [now, ...ids],
    );
    // Kept a day for deduplication (Graph retries for up to 4 hours), then dropped.
    await execute(this.em, 'delete from graph_notification_inbox where processed_at < ?', [
      new Date(now.getTime() - 24 * 3600_000),
    ]);
  }

  async retryAt(ids: string[], at: Date, error: string): Promise<void> {
    if (ids.length === 0) return;
    await execute(
      this.em,
      `update graph_notification_inbox set due_at = ?, locked_until = null, last_error = ?
       where id in (${ids.map(() => '?').join(',')})`,
      [at, error.slice(0, 2000), ...ids],
    );
  }
}
