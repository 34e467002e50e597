// Table mapping of the audit trail: one row per event, the actor and object flattened into columns.
import { EntitySchema } from '@mikro-orm/core';

export interface AuditEventRecord {
  id: string;
  workspaceId: string;
  type: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  clientAddress: string | null;
  objectType: string;
  objectId: string;
  details: Record<string, unknown>;
  occurredAt: Date;
}

export const AuditEventSchema = new EntitySchema<AuditEventRecord>({
  name: 'AuditEventRecord',
  tableName: 'audit_events',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    type: { type: 'text' },
    actorType: { type: 'text' },
    actorId: { type: 'text', nullable: true },
    actorName: { type: 'text', nullable: true },
    clientAddress: { type: 'text', columnType: 'inet', nullable: true },
    objectType: { type: 'text' },
    objectId: { type: 'text' },
    details: { type: 'json' },
    occurredAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
