// Webhook deliveries in PostgreSQL (server or PGlite): the queue the sender claims from (one statement with
// `for update skip locked`, so two instances never start the same attempt) and the log product teams read.
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import {
  ATTEMPT_LEASE_MS,
  WebhookDelivery,
  type WebhookDeliverySnapshot,
  type WebhookAttempt,
  type WebhookDeliveryStatus,
} from '@domain/webhook/webhook-delivery.js';
import { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import { toPage, type Page, type PageRequest } from '@application/shared/page.js';
import {
  WebhookDeliverySchema,
  type StoredAttempt,
  type WebhookDeliveryRecord,
} from './schemas/webhook.schema.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute, leaseClaim, recordsOf } from './sql.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';

export class MikroOrmWebhookDeliveryRepository extends WebhookDeliveryRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  private get sql(): SqlEntityManager {
    return this.em as unknown as SqlEntityManager;
  }

  async addMany(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.sql
      .createQueryBuilder(WebhookDeliverySchema)
      .insert(deliveries.map((d) => toRecord(d.toSnapshot())))
      .onConflict(['endpointId', 'eventId'])
      .ignore()
      .execute();
  }

  async claimDue(now: Date, limit: number): Promise<WebhookDelivery[]> {
    // One statement: the row locks last until it commits, and under READ COMMITTED a row another instance
    // has just claimed is re-checked against its new next_attempt_at, so it is never claimed twice. A
    // booking's delivery waits while an earlier one of that booking to that endpoint is pending (being
    // sent, or waiting for a retry): the rule of waitsForEarlier, which another instance's claim of that
    // earlier delivery (still pending until its outcome is saved) cannot slip past.
    const rows = await execute<Record<string, unknown>>(
      this.em,
      leaseClaim({
        table: 'webhook_deliveries',
        alias: 'd',
        key: 'id',
        set: 'attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?',
        due: `d.status = 'pending' and d.next_attempt_at <= ?
           and not exists (select 1 from webhook_deliveries p
             where p.endpoint_id = d.endpoint_id and p.booking_id = d.booking_id and p.sequence < d.sequence
               and p.status = 'pending')`,
        orderBy: 'd.next_attempt_at',
        returning: '*',
      }),
      [now, new Date(now.getTime() + ATTEMPT_LEASE_MS), now, limit],
    );
    return recordsOf(this.em, WebhookDeliverySchema, rows).map(toDomain);
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
    const newestFirst = { order: 'desc' } as const;
    const rows = await this.em.find(
      WebhookDeliverySchema,
      pagedWhere({ workspaceId, endpointId }, page, newestFirst),
      pagedOptions(page, newestFirst),
    );
    return toPage(rows, page.limit, toDomain);
  }
}

function storedLog(log: WebhookAttempt[]): StoredAttempt[] {
  return log.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() }));
}

function attemptLog(value: unknown): WebhookAttempt[] {
  const log = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as StoredAttempt[];
  return log.map((a) => ({ ...a, startedAt: new Date(a.startedAt) }));
}

function toRecord(s: WebhookDeliverySnapshot): WebhookDeliveryRecord {
  const { booking, attemptLog: log, ...rest } = s;
  return {
    ...rest,
    bookingId: booking?.id ?? null,
    sequence: booking?.sequence ?? null,
    attemptLog: storedLog(log),
  };
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
