// How a revocation reaches every instance's ApiKeyCache: a PostgreSQL notification per revoked key, and
// the revoking instance waiting until every listening instance has said it dropped the key.
import { Logger } from '@nestjs/common';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { ApiKeyCache } from './api-key-cache.js';
import { Acknowledgements, PostgresListener } from './postgres-listener.js';
import { isEmbedded } from './orm.js';

export const API_KEY_REVOKED_CHANNEL = 'kailenty_api_key_revoked';

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
  /** Drops heard per hash being confirmed. */
  private readonly confirming = new Acknowledgements();

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
    this.confirming.expect(hash);
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
    this.confirming.heard(hash);
  }

  private async confirm(hash: string): Promise<void> {
    this.confirming.expect(hash);
    try {
      // Without its own listener this instance cannot hear the others (its own cache is off meanwhile).
      if (!this.listener?.live) {
        this.confirming.forget(hash);
        return;
      }
      const [row] = await this.listener.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()',
        [LISTENER_NAME],
      );
      const expected = Number(row?.n ?? 0);
      const heard = await this.confirming.wait(hash, expected, CONFIRM_MS);
      if (heard < expected) {
        this.logger.warn(
          `An API key revocation was confirmed by ${heard} of ${expected} listening instances within ${CONFIRM_MS / 1000} s; the others drop the key when its notification reaches them.`,
        );
      }
    } catch (error) {
      this.confirming.forget(hash);
      this.logger.warn(
        `Could not confirm an API key revocation with the other instances: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
