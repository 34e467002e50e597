// A workspace reads its audit trail, newest first, all of it or one type of event.
import { AUDIT_EVENT_TYPES, isAuditEventType, type AuditEvent } from '@domain/audit/audit-event.js';
import { DomainError, type FieldError } from '@domain/shared/domain-error.js';
import { isUuid } from '@domain/shared/validation.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { decodeCursor, MAX_PAGE_LIMIT, type Page, type PageRequest } from '../shared/page.js';

export class ListAuditEvents {
  constructor(private readonly trail: AuditTrail) {}

  async execute(input: { workspaceId: string; type?: string; page: PageRequest }): Promise<Page<AuditEvent>> {
    const errors: FieldError[] = [];
    if (input.type !== undefined && !isAuditEventType(input.type)) {
      errors.push({ field: 'type', message: `must be one of ${AUDIT_EVENT_TYPES.join(', ')}` });
    }
    const { limit, cursor } = input.page;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
      errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` });
    }
    // Every event id is a UUID: a cursor naming anything else was not one this API returned.
    if (cursor !== undefined && !isUuid(decodeCursor(cursor).id)) {
      errors.push({ field: 'cursor', message: 'is not a cursor this API returned' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
    return this.trail.list(input.workspaceId, {
      type: input.type as AuditEvent['type'] | undefined,
      cursor,
      limit,
    });
  }
}
