// The one way a create honours an idempotency key, whatever carries it (the REST Idempotency-Key header, an
// MCP tool's idempotencyKey): per scope (workspace and endpoint or tool), the first outcome for the same
// key and arguments is stored for 24 hours and given again; other arguments are IDEMPOTENCY_KEY_REUSED; a
// first call still running is IDEMPOTENCY_KEY_IN_USE (its lease renewed by a heartbeat while it runs). A
// refusal the endpoint decided is stored too; a failure that decided nothing releases the key.
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '@application/ports/clock.js';
import {
  IDEMPOTENCY_HEARTBEAT_MS,
  IdempotencyStore,
  type IdempotencyClaim,
} from '@application/ports/idempotency.store.js';
import type { Problem } from './problem-details.filter.js';
import { RetryableDomainError } from './retryable-domain-error.js';

/** JSON with sorted keys, so that equal JSON bodies have equal fingerprints whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface IdempotentCall<T> {
  /** Workspace and endpoint (or tool): a key means something only there. */
  scope: string;
  key: string;
  /** The request's arguments (a JSON body): the same key with other arguments is refused. */
  args: unknown;
  /** The status a success is stored with. */
  status: number;
  /** Does the work, given the digest of scope, key and arguments to record with what it writes. */
  work: (digest: string) => Promise<T>;
  /** The stored refusal for a failure the work decided; null when it decided nothing (the key is released). */
  decided: (error: unknown) => Problem | null;
}

export type IdempotentOutcome<T> =
  { replayed: false; body: T } | { replayed: true; status: number; body: unknown };

export class IdempotentCalls {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly logger = new Logger('Idempotency'),
  ) {}

  /** Checks the key and arguments (1–255 characters for the key), then runs the work once or replays it. */
  async run<T>(call: IdempotentCall<T>): Promise<IdempotentOutcome<T>> {
    const { scope, key } = call;
    const fingerprint = createHash('sha256').update(canonicalJson(call.args)).digest('hex');
    const start = await this.store.begin(scope, key, fingerprint, this.clock.now());
    switch (start.kind) {
      case 'replay':
        return { replayed: true, status: start.status, body: start.body };
      case 'reused':
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another request body; use a new key for a new request.',
        );
      case 'in_use':
        throw new RetryableDomainError(
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is still being processed; retry after the time given.',
          Math.max(1, Math.ceil(start.retryAfterMs / 1000)),
        );
    }
    const { claim } = start;
    const digest = createHash('sha256')
      .update(JSON.stringify([scope, key, fingerprint]))
      .digest('hex');
    const heartbeat = setInterval(() => this.renew(claim), IDEMPOTENCY_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const body = await call.work(digest);
      await this.store.complete(claim, call.status, body);
      return { replayed: false, body };
    } catch (error) {
      const decided = call.decided(error);
      if (decided) await this.store.complete(claim, decided.status, decided);
      else await this.store.release(claim);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private renew(claim: IdempotencyClaim): void {
    // A missed beat only shortens the lease; the next one, or the request's end, settles it.
    this.store.renew(claim, this.clock.now()).catch((error: unknown) => {
      this.logger.warn(`could not renew the lease of an Idempotency-Key: ${String(error)}`);
    });
  }
}
