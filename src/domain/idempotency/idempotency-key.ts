// What an Idempotency-Key's record means for a request that presents it: replay the first outcome, refuse
// another body, wait for a first request that is still running, or carry on for a first request whose
// process died (its lease ran out) — what that request committed is then found by the key, never redone.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a running request holds its key without a sign of life. Short, so that a retry after a crash
 * is answered within seconds; the request renews it every IDEMPOTENCY_HEARTBEAT_MS while it runs.
 */
export const IDEMPOTENCY_LEASE_MS = 10_000;
export const IDEMPOTENCY_HEARTBEAT_MS = 3_000;

export interface IdempotencyRecord {
  /** Of the first request's body: the same key with another body is another request. */
  fingerprint: string;
  createdAt: Date;
  /** The first request's outcome; null while it runs. */
  response: { status: number; body: unknown } | null;
  /** Until when the running first request holds the key (renewed by its heartbeat); null: not held. */
  leasedUntil: Date | null;
}

export type IdempotencyDecision =
  /** Nothing (still) recorded for the key: this request runs and holds it. */
  | { kind: 'claim' }
  | { kind: 'replay'; status: number; body: unknown }
  /** Same key, another body. */
  | { kind: 'reused' }
  /** The first request is still running: ask again after `retryAfterMs`. */
  | { kind: 'in_use'; retryAfterMs: number }
  /**
   * The first request's owner stopped renewing its lease (its process died): this request takes the key
   * over and runs in its place, finding by the key whatever the first one committed.
   */
  | { kind: 'take_over' };

export function decide(
  record: IdempotencyRecord | null,
  fingerprint: string,
  now: Date,
): IdempotencyDecision {
  const t = now.getTime();
  if (!record || t - record.createdAt.getTime() >= IDEMPOTENCY_TTL_MS) return { kind: 'claim' };
  if (record.fingerprint !== fingerprint) return { kind: 'reused' };
  if (record.response) return { kind: 'replay', ...record.response };
  const leasedUntil = record.leasedUntil?.getTime() ?? -Infinity;
  if (leasedUntil > t) return { kind: 'in_use', retryAfterMs: leasedUntil - t };
  return { kind: 'take_over' };
}
