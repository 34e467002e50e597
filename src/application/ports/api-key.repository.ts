// Where workspaces' API keys are kept (hashed).
import type { ApiKey } from '@domain/workspace/api-key.js';

export abstract class ApiKeyRepository {
  abstract add(key: ApiKey): Promise<void>;
  /** The active (not revoked) key with this hash, of any workspace. */
  abstract findActiveByHash(hash: string): Promise<ApiKey | null>;
  abstract findById(workspaceId: string, id: string): Promise<ApiKey | null>;
  abstract save(key: ApiKey): Promise<void>;
}
