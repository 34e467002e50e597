// Webhook deliveries in PostgreSQL (server or PGlite): the queue the sender claims from (one statement with
// `for update skip locked`, so two instances never start the same attempt) and the log product teams read.
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import {
  ATTEMPT_LEASE_MS,
  WebhookDelivery,
  type WebhookDeliverySnapshot,
  type WebhookAttempt,
  type WebhookDeliveryStatus,
} from '@domain/webhook/webhook-delivery.js';
import { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '@application/shared/page.js';
import {
  WebhookDeliverySchema,
  type StoredAttempt,
  type WebhookDeliveryRecord,
} from './schemas/webhook.schema.js';
import { isUuid } from './sql.js';

const fresh = { disableIdentityMap: true } as const;

const COLUMNS = [
  'id',
  'workspace_id',
  'endpoint_id',
  'event_id',
  'event_type',
  'event_occurred_at',
  'booking_id',
  'sequence',
  'body',
  'status',
  'attempts',
  'next_attempt_at',
  'last_attempt_at',
  'last_response_status',
  'last_error',
  'attempt_log',
  'created_at',
] as const;

type Row = Record<(typeof COLUMNS)[number], unknown>;

export class MikroOrmWebhookDeliveryRepository extends WebhookDeliveryRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  private get sql(): SqlEntityManager {
    return this.em as unknown as SqlEntityManager;
  }

  async addMany(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
    const params = deliveries.flatMap((d) => {
      const s = d.toSnapshot();
      return [
        s.id,
        s.workspaceId,
        s.endpointId,
        s.eventId,
        s.eventType,
        s.eventOccurredAt,
        s.booking?.id ?? null,
        s.booking?.sequence ?? null,
        s.body,
        s.status,
        s.attempts,
        s.nextAttemptAt,
        s.lastAttemptAt,
        s.lastResponseStatus,
        s.lastError,
        JSON.stringify(storedLog(s.attemptLog)),
        s.createdAt,
      ];
    });
    await this.sql.execute(
      `insert into webhook_deliveries (${COLUMNS.join(', ')}) values ${deliveries.map(() => tuple).join(', ')}
       on conflict (endpoint_id, event_id) do nothing`,
      params,
    );
  }

  async claimDue(now: Date, limit: number): Promise<WebhookDelivery[]> {
    // One statement: the row locks last until it commits, and under READ COMMITTED a row another instance
    // has just claimed is re-checked against its new next_attempt_at, so it is never claimed twice. A
    // booking's delivery waits while an earlier one of that booking to that endpoint is pending (being
    // sent, or waiting for a retry): the rule of waitsForEarlier, which another instance's claim of that
    // earlier delivery (still pending until its outcome is saved) cannot slip past.
    const rows = await this.sql.execute<Row[]>(
      `update webhook_deliveries set attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?
       where id in (
         select d.id from webhook_deliveries d where d.status = 'pending' and d.next_attempt_at <= ?
           and not exists (select 1 from webhook_deliveries p
             where p.endpoint_id = d.endpoint_id and p.booking_id = d.booking_id and p.sequence < d.sequence
               and p.status = 'pending')
         order by d.next_attempt_at limit ? for update skip locked)
       returning ${COLUMNS.join(', ')}`,
      [now, new Date(now.getTime() + ATTEMPT_LEASE_MS), now, limit],
    );
    return rows.map(fromRow);
  }

  async saveOutcome(delivery: WebhookDelivery): Promise<boolean> {
    const s = delivery.toSnapshot();
    const changed = await this.em.nativeUpdate(
      WebhookDeliverySchema,
      { id: s.id, attempts: s.attempts, status: 'pending' },
      {
        status: s.status,
        nextAttemptAt: s.nextAttemptAt,
        lastResponseStatus: s.lastResponseStatus,
        lastError: s.lastError,
        attemptLog: storedLog(s.attemptLog),
      },
    );
    return changed > 0;
  }

  async listByEndpoint(
    workspaceId: string,
    endpointId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDelivery>> {
    if (!isUuid(endpointId)) return { data: [], nextCursor: null };
    const where: Record<string, unknown> = { workspaceId, endpointId };
    if (page.cursor) {
      const after = decodeCursor(page.cursor);
      // A row comparison, so that the index on (endpoint_id, created_at desc, id desc) starts at the cursor.
      where[
        raw<string>(
          (alias) => `(${alias}.created_at, ${alias}.id) < (?::timestamptz, ?::uuid)`,
          [after.createdAt.toISOString(), after.id],
        )
      ] = [];
    }
    const rows = await this.em.find(WebhookDeliverySchema, where, {
      ...fresh,
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: page.limit + 1,
    });
    return toPage(rows, page.limit, toDomain);
  }
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function storedLog(log: WebhookAttempt[]): StoredAttempt[] {
  return log.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() }));
}

function attemptLog(value: unknown): WebhookAttempt[] {
  const log = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as StoredAttempt[];
  return log.map((a) => ({ ...a, startedAt: new Date(a.startedAt) }));
}

function fromRow(row: Row): WebhookDelivery {
  return WebhookDelivery.fromSnapshot({
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    endpointId: row.endpoint_id as string,
    eventId: row.event_id as string,
    eventType: row.event_type as string,
    eventOccurredAt: date(row.event_occurred_at)!,
    booking:
      row.booking_id === null || row.booking_id === undefined
        ? null
        : { id: row.booking_id as string, sequence: Number(row.sequence) },
    body: row.body as string,
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: date(row.next_attempt_at),
    lastAttemptAt: date(row.last_attempt_at),
    lastResponseStatus: row.last_response_status === null ? null : Number(row.last_response_status),
    lastError: (row.last_error as string | null) ?? null,
    attemptLog: attemptLog(row.attempt_log),
    createdAt: date(row.created_at)!,
  });
}

function toDomain(row: WebhookDeliveryRecord): WebhookDelivery {
  const { bookingId, sequence, ...rest } = row;
  const snapshot: WebhookDeliverySnapshot = {
    ...rest,
    booking: bookingId ? { id: bookingId, sequence: sequence! } : null,
    status: row.status as WebhookDeliveryStatus,
    nextAttemptAt: row.nextAttemptAt ?? null,
    lastAttemptAt: row.lastAttemptAt ?? null,
    lastResponseStatus: row.lastResponseStatus ?? null,
    lastError: row.lastError ?? null,
    attemptLog: attemptLog(row.attemptLog),
  };
  return WebhookDelivery.fromSnapshot(snapshot);
}
