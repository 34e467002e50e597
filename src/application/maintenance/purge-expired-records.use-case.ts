// Deletes what the service keeps only for a while: Idempotency-Key records (with their sealed responses)
// past their 24 hours, OAuth states (with their PKCE verifiers) that expired or were used, and rate-limit
// counters whose window is over. Plain deletes: several instances running it at once is harmless.
import { Clock } from '../ports/clock.js';
import { IdempotencyStore } from '../ports/idempotency.store.js';
import { AuthorizationStateRepository } from '../ports/microsoft-connection.repository.js';
import { RateLimitCounters } from '../ports/rate-limit-counters.js';

export interface PurgeReport {
  idempotencyKeys: number;
  authorizationStates: number;
  rateLimitCounters: number;
}

export class PurgeExpiredRecords {
  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly states: AuthorizationStateRepository,
    private readonly clock: Clock,
    private readonly rateLimits: RateLimitCounters,
  ) {}

  async execute(): Promise<PurgeReport> {
    const now = this.clock.now();
    return {
      idempotencyKeys: await this.idempotency.purgeExpired(now),
      authorizationStates: await this.states.deleteSpent(now),
      rateLimitCounters: await this.rateLimits.purgeExpired(now),
    };
  }
}
