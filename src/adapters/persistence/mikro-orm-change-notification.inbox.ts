// The Graph notification inbox in PostgreSQL: it takes a whole notification body in one insert, keeping each
// retried item once (unique dedupe key) and nothing of subscriptions it does not know (but items of one being
// made, matched by its client state); the worker claims items with a lease, shared by several instances.
import type { EntityManager } from '@mikro-orm/core';
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';
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
    records: InboxRecord[];
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
    const records = items.map(toRecord);
    const inserted = await new Promise<Set<string>>((done, fail) => {
      this.pending.push({ records, now, done, fail });
      if (!this.flushing) {
        this.flushing = true;
        // One turn of the event loop first: the requests already received join this insert.
        setImmediate(() => void this.flush());
      }
    });
    return records.filter((r) => inserted.has(r.key)).length;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 500);
        try {
          const rows = await execute<{ dedupe_key: string }>(
            this.em,
            `insert into graph_notification_inbox (dedupe_key, kind, subscription_id, payload, received_at, due_at)
             select v.key, v.kind, v.sub, v.payload, v.at, v.at
             from jsonb_to_recordset(cast(? as jsonb))
               as v(key text, kind text, sub text, payload jsonb, at timestamptz)
             where exists (select 1 from graph_subscriptions s where s.subscription_id = v.sub)
               -- A subscription Graph made but whose id we have not stored yet: its client state vouches.
               or exists (select 1 from graph_subscriptions s where s.subscription_id is null
                 and s.client_state_hash = encode(sha256(convert_to(v.payload->>'clientState', 'UTF8')), 'hex'))
             on conflict (dedupe_key) do nothing returning dedupe_key`,
            [JSON.stringify(batch.flatMap((b) => b.records.map((r) => ({ ...r, at: b.now.toISOString() }))))],
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
