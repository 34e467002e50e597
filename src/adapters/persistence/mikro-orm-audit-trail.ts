// The audit trail in PostgreSQL (server or PGlite). Inserts go through the EntityManager, so inside a
// UnitOfWork an event commits or rolls back with the change it describes.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import {
  toAuditEvent,
  type AuditActor,
  type AuditEntry,
  type AuditEvent,
  type AuditEventType,
  type AuditObjectType,
} from '@domain/audit/audit-event.js';
import { AuditTrail, type AuditQuery } from '@application/ports/audit-trail.js';
import { toPage, type Page } from '@application/shared/page.js';
import { AuditEventSchema, type AuditEventRecord } from './schemas/audit.schema.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';

export class MikroOrmAuditTrail extends AuditTrail {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async record(workspaceId: string, entry: AuditEntry): Promise<void> {
    await this.em.insert(AuditEventSchema, toRecord(toAuditEvent(randomUUID(), workspaceId, entry)));
  }

  async list(workspaceId: string, query: AuditQuery): Promise<Page<AuditEvent>> {
    const where: Record<string, unknown> = { workspaceId };
    if (query.type) where.type = query.type;
    const newestFirst = { by: 'occurredAt', order: 'desc' } as const;
    const rows = await this.em.find(
      AuditEventSchema,
      pagedWhere(where, query, newestFirst),
      pagedOptions(query, newestFirst),
    );
    const keyed = rows.map((row) => ({ row, createdAt: row.occurredAt, id: row.id }));
    return toPage(keyed, query.limit, (k) => toDomain(k.row));
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    return this.em.nativeDelete(AuditEventSchema, { occurredAt: { $lt: cutoff } });
  }
}

function toRecord(event: AuditEvent): AuditEventRecord {
  const actor = event.actor;
  return {
    id: event.id,
    workspaceId: event.workspaceId,
    type: event.type,
    actorType: actor.type,
    actorId: 'id' in actor ? actor.id : null,
    actorName: actor.type === 'microsoft_account' ? (actor.name ?? null) : null,
    clientAddress: event.clientAddress,
    objectType: event.object.type,
    objectId: event.object.id,
    details: event.details,
    occurredAt: event.occurredAt,
  };
}

function toActor(row: AuditEventRecord): AuditActor {
  switch (row.actorType) {
    case 'api_key':
      return { type: 'api_key', id: row.actorId! };
    case 'microsoft_account':
      return row.actorName === null || row.actorName === undefined
        ? { type: 'microsoft_account', id: row.actorId! }
        : { type: 'microsoft_account', id: row.actorId!, name: row.actorName };
    case 'operator':
      return { type: 'operator' };
    case 'service':
      return { type: 'service' };
    default:
      throw new Error(`audit event ${row.id} has an unknown actor type: ${row.actorType}`);
  }
}

function toDomain(row: AuditEventRecord): AuditEvent {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    type: row.type as AuditEventType,
    occurredAt: row.occurredAt,
    actor: toActor(row),
    clientAddress: row.clientAddress ?? null,
    object: { type: row.objectType as AuditObjectType, id: row.objectId },
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
      string,
      unknown
    >,
  };
}
