// Remembers the first response to a request made with an Idempotency-Key, per workspace and endpoint,
// for 24 hours, so that a client's retry never creates a second thing. What a record means for a request
// that presents its key is the domain's `decide()`; a store makes each step atomic across instances.
export {
  IDEMPOTENCY_HEARTBEAT_MS,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
} from '@domain/idempotency/idempotency-key.js';

/** The hold of one running request on its key; `owner` tells it apart from a later holder's. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  owner: string;
  /** The key was taken over from a first request whose process died: it may have committed its work. */
  takenOver: boolean;
}

export type IdempotencyStart =
  | { kind: 'started'; claim: IdempotencyClaim }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused' }
  | { kind: 'in_use'; retryAfterMs: number };

export abstract class IdempotencyStore {
  /**
   * Claims the key for a request with this fingerprint (for IDEMPOTENCY_LEASE_MS), takes it over from a
   * running request whose lease ran out, or says why not: the stored response to replay, another body
   * (`reused`), or a first request still running (`in_use`).
   */
  abstract begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart>;
  /** The running request's heartbeat: extends its lease. False when the key is no longer its own. */
  abstract renew(claim: IdempotencyClaim, now: Date): Promise<boolean>;
  /** Stores the outcome, if the key is still the claim's own (a later holder's outcome is the same one). */
  abstract complete(claim: IdempotencyClaim, status: number, body: unknown): Promise<void>;
  /** Forgets a claim whose request failed, so that a corrected retry can run. */
  abstract release(claim: IdempotencyClaim): Promise<void>;
  /** Deletes the records older than the 24 hours they are kept; returns how many went. */
  abstract purgeExpired(now: Date): Promise<number>;
}
