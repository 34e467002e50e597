// Deletes what the service keeps only for a while: Idempotency-Key records (with their sealed responses)
// past their 24 hours, with the keys their bookings recorded, OAuth states (with their PKCE verifiers) that
// expired or were used, rate-limit counters whose window is over, and audit events older than
// AUDIT_RETENTION_DAYS, and holds an hour after their expiry. Plain deletes: several instances running it at once is harmless.
import { AUDIT_RETENTION_DAYS } from '@domain/audit/audit-event.js';
import { HOLD_KEPT_AFTER_EXPIRY_MS } from '@domain/hold/hold.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { Clock } from '../ports/clock.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../ports/idempotency.store.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { RateLimitCounters } from '../ports/rate-limit-counters.js';
import { HoldRepository } from '../ports/hold.repository.js';

export interface PurgeReport {
  idempotencyKeys: number;
  bookingIdempotencyKeys: number;
  authorizationStates: number;
  rateLimitCounters: number;
  auditEvents: number;
  holds: number;
}

const DAY_MS = 24 * 3600_000;

export class PurgeExpiredRecords {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly bookings: BookingRepository,
    private readonly states: AuthorizationStateRepository,
    private readonly clock: Clock,
    private readonly rateLimits: RateLimitCounters,
    private readonly audit: AuditTrail,
    private readonly holds: HoldRepository,
  ) {}

  async execute(): Promise<PurgeReport> {
    const now = this.clock.now();
    return {
      idempotencyKeys: await this.idempotency.purgeExpired(now),
      bookingIdempotencyKeys: await this.bookings.forgetIdempotencyKeys(
        new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      ),
      authorizationStates: await this.states.deleteSpent(now),
      rateLimitCounters: await this.rateLimits.purgeExpired(now),
      auditEvents: await this.audit.purgeBefore(new Date(now.getTime() - AUDIT_RETENTION_DAYS * DAY_MS)),
      holds: await this.holds.deleteExpired(new Date(now.getTime() - HOLD_KEPT_AFTER_EXPIRY_MS)),
    };
  }
}
