// Active API keys by hash, kept in the process so that authenticating a request costs no database round
// trip, and forgotten as soon as a key is revoked on any instance (fed by ApiKeyRevocations). A revocation
// sends a PostgreSQL notification (`API_KEY_REVOKED_CHANNEL`, the key's hash) in its own transaction, so it
// goes out at commit; every instance listens and drops that key. What is cached is only ever used while this instance is
// listening: before its LISTEN is in place and whenever that connection is lost, every lookup goes to the
// database (as before this cache), and the cache is emptied, since a notification may have been missed.
// On PGlite (one instance in one process) the revoking instance is the only one.
//
// How prompt: on the revoking instance, at once — the key is marked "being revoked" before the transaction
// commits and is not cached again until its own notification comes back. On another instance, as soon as
// the notification reaches it: PostgreSQL sends it to listeners when the revocation commits, before the
// operator's DELETE can even be answered, so in practice before the next request (the two-instance test
// checks it). Entries also expire after `ttlMs`, a net for a connection that dies silently.
import { ApiKey, type ApiKeySnapshot } from '@domain/workspace/api-key.js';

export interface ApiKeyCacheOptions {
  /** How long an entry may serve (default one minute). */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first (default 10,000). */
  maxEntries?: number;
  /** Whether revocations are heard from the start (PGlite: there is no other instance to hear from). */
  live: boolean;
  now?: () => number;
}

/** How long a key being revoked here is kept out of the cache when its notification never comes back. */
const REVOKING_MS = 30_000;

export class ApiKeyCache {
  private readonly entries = new Map<string, { key: ApiKeySnapshot; until: number }>();
  /** Hashes being revoked by this instance: not cached until their revocation has committed. */
  private readonly revoking = new Map<string, number>();
  /** Bumped by every revocation and every change of `live`: a lookup that overlapped one is not cached. */
  private generation = 0;
  private live: boolean;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ApiKeyCacheOptions) {
    this.live = options.live;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The active key with this hash, from the cache when it may serve, else from `load` (cached if active). */
  async lookup(hash: string, load: () => Promise<ApiKey | null>): Promise<ApiKey | null> {
    const now = this.now();
    if (this.live) {
      const entry = this.entries.get(hash);
      if (entry && entry.until > now) return ApiKey.fromSnapshot(entry.key);
      if (entry) this.entries.delete(hash);
    }
    const generation = this.generation;
    const key = await load();
    // Unknown and revoked keys are not cached: a made-up token must not take a place.
    if (key && this.live && generation === this.generation && !this.isBeingRevoked(hash, now)) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(hash, { key: key.toSnapshot(), until: now + this.ttlMs });
    }
    return key;
  }

  /**
   * This instance is revoking the key (its transaction has not committed yet): dropped now, and not cached
   * again before its notification comes back (or for 30 s; once committed, a revoked key is never cached).
   */
  beingRevoked(hash: string): void {
    this.revoking.set(hash, this.now() + REVOKING_MS);
    this.forget(hash);
  }

  /** A revocation has committed (the notification, on this instance or another). */
  revoked(hash: string): void {
    this.revoking.delete(hash);
    this.forget(hash);
  }

  /** Whether revocations are heard right now; either way, what was cached goes. */
  setLive(live: boolean): void {
    this.live = live;
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(hash: string): void {
    this.generation++;
    this.entries.delete(hash);
  }

  private isBeingRevoked(hash: string, now: number): boolean {
    const until = this.revoking.get(hash);
    if (until === undefined) return false;
    if (until > now) return true;
    this.revoking.delete(hash);
    return false;
  }
}
