// An in-memory audit trail for fast tests: the same order, paging, filter and purge as the database.
import { randomUUID } from 'node:crypto';
import { toAuditEvent, type AuditEntry, type AuditEvent } from '@domain/audit/audit-event.js';
import { AuditTrail, type AuditQuery } from '@application/ports/audit-trail.js';
import { type Page } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';

export class InMemoryAuditTrail extends AuditTrail {
  private readonly events: AuditEvent[] = [];

  async record(workspaceId: string, entry: AuditEntry): Promise<void> {
    this.events.push(toAuditEvent(randomUUID(), workspaceId, entry));
  }

  async list(workspaceId: string, query: AuditQuery): Promise<Page<AuditEvent>> {
    const events = this.events.filter(
      (e) => e.workspaceId === workspaceId && (!query.type || e.type === query.type),
    );
    return pageOf(events, query, copy, { key: (e) => e.occurredAt, order: 'desc' });
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const before = this.events.length;
    const kept = this.events.filter((e) => e.occurredAt.getTime() >= cutoff.getTime());
    this.events.splice(0, this.events.length, ...kept);
    return before - kept.length;
  }
}

function copy(e: AuditEvent): AuditEvent {
  return {
    ...e,
    occurredAt: new Date(e.occurredAt),
    actor: { ...e.actor },
    object: { ...e.object },
    details: JSON.parse(JSON.stringify(e.details)) as Record<string, unknown>,
  };
}
