// The audit trail of each workspace's access: recorded in the transaction of the change it describes,
// read back newest first, and forgotten after AUDIT_RETENTION_DAYS.
import type { AuditEntry, AuditEvent, AuditEventType } from '@domain/audit/audit-event.js';
import type { Page } from '../shared/page.js';

export interface AuditQuery {
  type?: AuditEventType;
  /** The nextCursor of the previous page. */
  cursor?: string;
  limit: number;
}

export abstract class AuditTrail {
  /** Records one event; inside a UnitOfWork it commits or rolls back with the change it describes. */
  abstract record(workspaceId: string, entry: AuditEntry): Promise<void>;
  /** The workspace's events, newest first, paged over (occurredAt, id) descending. */
  abstract list(workspaceId: string, query: AuditQuery): Promise<Page<AuditEvent>>;
  /** Deletes the events, of every workspace, that occurred before `cutoff`; returns how many. */
  abstract purgeBefore(cutoff: Date): Promise<number>;
}
