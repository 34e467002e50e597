// The Graph notification inbox in PostgreSQL: it takes a whole notification body in one insert, keeping what
// the domain's acceptance rule admits (each retried item once, nothing of subscriptions it does not know), the
// unique dedupe key backing "once"; the worker claims items with a lease, shared by several instances.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { admittedToInbox, type InboxKnowledge } from '@domain/notification/inbox-admission.js';
import { ChangeNotificationInbox, type InboxItem } from '@application/ports/change-notification.inbox.js';
import { execute, leaseClaim } from './sql.js';

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
          changeKey: typeof payload.changeKey === 'string' ? payload.changeKey : null,
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
        ? { clientState: n.clientState, changeType: n.changeType, eventId: n.eventId, changeKey: n.changeKey }
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
      leaseClaim({
        table: 'graph_notification_inbox',
        key: 'id',
        set: 'locked_until = ?, attempts = attempts + 1',
        due: 'processed_at is null and due_at <= ? and (locked_until is null or locked_until < ?)',
        orderBy: 'due_at, id',
        returning: 'id, kind, subscription_id, payload, attempts',
      }),
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
