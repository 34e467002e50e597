// Remembers the first response to a request made with an Idempotency-Key, per workspace and endpoint,
// for 24 hours, so that a client's retry never creates a second thing.
export type IdempotencyStart = { kind: 'started' } | { kind: 'replay'; status: number; body: unknown };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request still "running" after this long died with its process; its key may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 2 * 60 * 1000;

export abstract class IdempotencyStore {
  /**
   * Claims the key for a request with this fingerprint, or returns the stored response to replay.
   * Throws IDEMPOTENCY_KEY_REUSED (another body) or IDEMPOTENCY_KEY_IN_USE (the first is still running).
   */
  abstract begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart>;
  abstract complete(scope: string, key: string, status: number, body: unknown): Promise<void>;
  /** Forgets a claim whose request failed, so that a corrected retry can run. */
  abstract release(scope: string, key: string): Promise<void>;
  /** Deletes the records older than the 24 hours they are kept; returns how many went. */
  abstract purgeExpired(now: Date): Promise<number>;
}
