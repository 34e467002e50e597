// Object mothers for audit entries and the people and services behind them.
import { randomUUID } from 'node:crypto';
import type { AuditEntry, Initiator } from '@domain/audit/audit-event.js';

export const byOperator = (clientAddress = '198.51.100.1'): Initiator => ({
  actor: { type: 'operator' },
  clientAddress,
});

export const byApiKey = (id: string = randomUUID(), clientAddress = '203.0.113.7'): Initiator => ({
  actor: { type: 'api_key', id },
  clientAddress,
});

/** An entry (api_key.issued by an API key, unless told otherwise). */
export function anAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    type: 'api_key.issued',
    objectId: randomUUID(),
    details: {},
    by: byApiKey(),
    occurredAt: new Date('2026-12-01T08:00:00Z'),
    ...overrides,
  } as AuditEntry;
}
