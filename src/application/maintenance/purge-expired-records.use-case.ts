// Deletes what the service keeps only for a while: Idempotency-Key records (with their sealed responses)
// past their 24 hours, with the keys their bookings recorded, and OAuth states (with their PKCE verifiers) that expired or were used. Plain
// deletes: several instances running it at once is harmless.
import { Clock } from '../ports/clock.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../ports/idempotency.store.js';
import { AuthorizationStateRepository } from '../ports/microsoft-connection.repository.js';

export interface PurgeReport {
  idempotencyKeys: number;
  bookingIdempotencyKeys: number;
  authorizationStates: number;
}

export class PurgeExpiredRecords {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly bookings: BookingRepository,
    private readonly states: AuthorizationStateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<PurgeReport> {
    const now = this.clock.now();
    return {
      idempotencyKeys: await this.idempotency.purgeExpired(now),
      bookingIdempotencyKeys: await this.bookings.forgetIdempotencyKeys(
        new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
      ),
      authorizationStates: await this.states.deleteSpent(now),
    };
  }
}
