// Workspaces' API keys (hashed) in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import { ApiKey } from '@domain/workspace/api-key.js';
import { ApiKeyRepository } from '@application/ports/api-key.repository.js';
import { ApiKeySchema } from './schemas/workspace.schema.js';
import { execute, fresh } from './sql.js';
import { API_KEY_REVOKED_CHANNEL, type ApiKeyRevocations } from './api-key-revocations.js';

export class MikroOrmApiKeyRepository extends ApiKeyRepository {
  /** `revocations`: active keys kept in the process, dropped on revocation (without, every lookup is a query). */
  constructor(
    private readonly em: EntityManager,
    private readonly revocations: ApiKeyRevocations | null = null,
  ) {
    super();
  }

  async add(key: ApiKey): Promise<void> {
    await this.em.insert(ApiKeySchema, key.toSnapshot());
  }

  /** On every authenticated request: from the cache, or one indexed lookup in plain SQL (not the ORM's find). */
  findActiveByHash(hash: string): Promise<ApiKey | null> {
    const cache = this.revocations?.cache;
    return cache ? cache.lookup(hash, () => this.readActive(hash)) : this.readActive(hash);
  }

  private async readActive(hash: string): Promise<ApiKey | null> {
    const [row] = await execute<{
      id: string;
      workspace_id: string;
      hash: string;
      prefix: string;
      created_at: string | Date;
    }>(
      this.em,
      'select id, workspace_id, hash, prefix, created_at from api_keys where hash = ? and revoked_at is null',
      [hash],
    );
    return row
      ? ApiKey.fromSnapshot({
          id: row.id,
          workspaceId: row.workspace_id,
          hash: row.hash,
          prefix: row.prefix,
          createdAt: new Date(row.created_at),
          revokedAt: null,
        })
      : null;
  }

  async findById(workspaceId: string, id: string): Promise<ApiKey | null> {
    const row = await this.em.findOne(ApiKeySchema, { id, workspaceId }, fresh);
    return row ? ApiKey.fromSnapshot({ ...row, revokedAt: row.revokedAt ?? null }) : null;
  }

  async save(key: ApiKey): Promise<void> {
    const { id, workspaceId, ...rest } = key.toSnapshot();
    if (!key.isActive) this.revocations?.revoking(this.em, rest.hash);
    await this.em.nativeUpdate(ApiKeySchema, { id, workspaceId }, rest);
    if (key.isActive) return;
    // Every instance's cache drops the key when this commits (this one has already), and the commit is not
    // over before they all said so (`ApiKeyRevocations`).
    await execute(this.em, 'select pg_notify(?, ?)', [API_KEY_REVOKED_CHANNEL, rest.hash]);
  }
}
