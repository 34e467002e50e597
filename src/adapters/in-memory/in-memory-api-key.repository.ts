// API keys in memory, for fast tests of use cases.
import { ApiKey } from '@domain/workspace/api-key.js';
import { ApiKeyRepository } from '@application/ports/api-key.repository.js';

export class InMemoryApiKeyRepository extends ApiKeyRepository {
  private readonly rows = new Map<string, ReturnType<ApiKey['toSnapshot']>>();

  async add(key: ApiKey): Promise<void> {
    const snapshot = key.toSnapshot();
    if ([...this.rows.values()].some((row) => row.hash === snapshot.hash))
      throw new Error('duplicate API key hash');
    this.rows.set(key.id, snapshot);
  }

  async findActiveByHash(hash: string): Promise<ApiKey | null> {
    const row = [...this.rows.values()].find((r) => r.hash === hash && r.revokedAt === null);
    return row ? ApiKey.fromSnapshot(row) : null;
  }

  async findById(workspaceId: string, id: string): Promise<ApiKey | null> {
    const row = this.rows.get(id);
    return row && row.workspaceId === workspaceId ? ApiKey.fromSnapshot(row) : null;
  }

  async save(key: ApiKey): Promise<void> {
    const row = this.rows.get(key.id);
    if (row && row.workspaceId === key.workspaceId) this.rows.set(key.id, key.toSnapshot());
  }
}
