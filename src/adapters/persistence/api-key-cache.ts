// Active API keys by hash, kept in the process so that authenticating a request costs no database round
// trip, and forgotten as soon as a key is revoked on any instance. A revocation sends a PostgreSQL
// notification (`API_KEY_REVOKED_CHANNEL`, the key's hash) in its own transaction, so it goes out at commit;
// every instance listens and drops that key. What is cached is only ever used while this instance is
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
import { Logger } from '@nestjs/common';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { PostgresListener } from './postgres-listener.js';
import { isEmbedded } from './orm.js';

export const API_KEY_REVOKED_CHANNEL = 'kailenty_api_key_revoked';

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

/** What an instance says on this channel once it has dropped a revoked key (the key's hash). */
export const API_KEY_DROPPED_CHANNEL = 'kailenty_api_key_dropped';
const LISTENER_NAME = 'kailenty-api-keys';
/** How long a revocation waits for the other instances to say they dropped the key. */
const CONFIRM_MS = 2000;

/**
 * The cache of one service instance and, on a PostgreSQL server, the connection that hears revocations
 * for it (Nest starts and stops it with the application). A revocation is not answered before every
 * listening instance has dropped the key: after the commit, the revoking instance counts the listening
 * connections (named `kailenty-api-keys` in pg_stat_activity, its own included) and waits until as many
 * have said on `API_KEY_DROPPED_CHANNEL` that they dropped it — at most 2 s, for an instance that dies
 * meanwhile; a warning says so. So the next request anywhere after the revocation's answer is refused.
 */
export class ApiKeyRevocations {
  readonly cache: ApiKeyCache;
  private readonly listener: PostgresListener | null;
  /** Hashes revoked by the transactions under way, by the transaction's EntityManager. */
  private readonly pending = new WeakMap<object, string[]>();
  /** Drops heard per hash being confirmed, and who waits for them. */
  private readonly confirming = new Map<string, { heard: number; wake: () => void }>();

  constructor(
    orm: MikroORM,
    private readonly logger = new Logger('ApiKeyRevocations'),
  ) {
    const serverUrl = isEmbedded(orm) ? null : (orm.config.get('clientUrl') as string);
    this.cache = new ApiKeyCache({ live: serverUrl === null });
    this.listener = serverUrl
      ? new PostgresListener(serverUrl, LISTENER_NAME, [API_KEY_REVOKED_CHANNEL, API_KEY_DROPPED_CHANNEL], {
          onNotification: (channel, hash) => this.heard(channel, hash),
          onLive: (live) => this.cache.setLive(live),
        })
      : null;
    if (!this.listener) return;
    orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: async ({ em }) => {
        const hashes = this.pending.get(em);
        if (!hashes) return;
        this.pending.delete(em);
        await Promise.all(hashes.map((hash) => this.confirm(hash)));
      },
      afterTransactionRollback: ({ em }) => {
        this.pending.delete(em);
        return Promise.resolve();
      },
    });
  }

  /**
   * The key is being revoked in the transaction `em` belongs to: dropped here now, and once that transaction
   * commits, not answered before every listening instance has dropped it.
   */
  revoking(em: EntityManager, hash: string): void {
    this.cache.beingRevoked(hash);
    if (!this.listener) return;
    const context = em.getContext();
    this.pending.set(context, [...(this.pending.get(context) ?? []), hash]);
    // Drops may be heard before the commit is even answered: count them from now on.
    this.confirming.set(hash, { heard: 0, wake: () => undefined });
  }

  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.close();
  }

  private heard(channel: string, hash: string): void {
    if (channel === API_KEY_REVOKED_CHANNEL) {
      this.cache.revoked(hash);
      this.listener!.query('select pg_notify($1, $2)', [API_KEY_DROPPED_CHANNEL, hash]).catch(
        () => undefined,
      );
      return;
    }
    const waiting = this.confirming.get(hash);
    if (!waiting) return;
    waiting.heard++;
    waiting.wake();
  }

  private async confirm(hash: string): Promise<void> {
    const waiting = this.confirming.get(hash) ?? { heard: 0, wake: () => undefined };
    this.confirming.set(hash, waiting);
    try {
      // Without its own listener this instance cannot hear the others (its own cache is off meanwhile).
      if (!this.listener?.live) return;
      const [row] = await this.listener.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()',
        [LISTENER_NAME],
      );
      const expected = Number(row?.n ?? 0);
      const deadline = Date.now() + CONFIRM_MS;
      while (waiting.heard < expected && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          waiting.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (waiting.heard < expected) {
        this.logger.warn(
          `An API key revocation was confirmed by ${waiting.heard} of ${expected} listening instances within ${CONFIRM_MS / 1000} s; the others drop the key when its notification reaches them.`,
        );
      }
    } catch (error) {
      this.logger.warn(
        `Could not confirm an API key revocation with the other instances: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.confirming.delete(hash);
    }
  }
}
