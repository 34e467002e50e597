// The Graph notification inbox in PostgreSQL: it takes a whole notification body in one insert, keeping what
// the domain's acceptance rule admits (each retried item once, nothing of subscriptions it does not know) in
// that same statement, the unique dedupe key backing "once"; the worker claims items with a lease, shared by
// several instances.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { ChangeNotificationInbox, type InboxItem } from '@application/ports/change-notification.inbox.js';
import { execute, leaseClaim } from './sql.js';
import { outsideRequestScope } from './request-writes.js';

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
  /** The client state's hash, as a subscription awaiting its id keeps it (null: no client state). */
  state_hash: string | null;
}

function toRecord(n: ReceivedNotification): InboxRecord {
  return {
    key: n.dedupeKey,
    kind: n.kind,
    sub: n.subscriptionId,
    state_hash:
      n.clientState === null ? null : createHash('sha256').update(n.clientState, 'utf8').digest('hex'),
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
        // One turn of the event loop first: the requests already received join this insert. It is no
        // request's own work, and writes no table a read cache shows (it only reads graph_subscriptions).
        setImmediate(() => outsideRequestScope(() => void this.flush()));
      }
    });
    return items.filter((n) => inserted.has(n.dedupeKey)).length;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 500);
        try {
          const records = batch.flatMap((b) =>
            b.items.map((n) => ({ ...toRecord(n), at: b.now.toISOString() })),
          );
          const keys = new Set(records.length === 0 ? [] : await this.admit(records));
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

  /**
   * Stores what the domain's acceptance rule (`admittedToInbox`) admits of `records`, in their order, in ONE
   * statement, and answers the dedupe keys stored. The rule's questions are asked of the tables in the same
   * statement: `stored` is the unique dedupe key's conflict (nothing stored twice, a retried item nothing
   * new), `subscribed` a subscription with that id, `awaitingId` one not yet given its id whose client state
   * hash matches; of a key repeated in the body, the first item admitted is the one kept. The unique key also
   * settles an item two instances admit at the same moment.
   */
  private async admit(records: (InboxRecord & { at: string })[]): Promise<string[]> {
    const rows = await execute<{ dedupe_key: string }>(
      this.em,
      `with item as (
         select * from jsonb_to_recordset(cast(? as jsonb))
           as v(ord int, key text, kind text, sub text, payload jsonb, at timestamptz, state_hash text)
       ),
       admitted as (
         select distinct on (i.key) i.* from item i
          where exists (select 1 from graph_subscriptions s where s.subscription_id = i.sub)
             or exists (select 1 from graph_subscriptions s
                         where s.subscription_id is null and s.client_state_hash = i.state_hash)
          order by i.key, i.ord
       )
       insert into graph_notification_inbox (dedupe_key, kind, subscription_id, payload, received_at, due_at)
       select key, kind, sub, payload, at, at from admitted order by ord
       on conflict (dedupe_key) do nothing returning dedupe_key`,
      [JSON.stringify(records.map((r, ord) => ({ ...r, ord })))],
    );
    return rows.map((r) => r.dedupe_key);
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
