// Where workspaces and their API keys are kept.
import type { Workspace } from '@domain/workspace/workspace.js';
import type { ApiKey } from '@domain/workspace/api-key.js';

export abstract class WorkspaceRepository {
  abstract add(workspace: Workspace): Promise<void>;
  abstract findById(id: string): Promise<Workspace | null>;
  abstract save(workspace: Workspace): Promise<void>;
}

export abstract class ApiKeyRepository {
  abstract add(key: ApiKey): Promise<void>;
  /** The active (not revoked) key with this hash, of any workspace. */
  abstract findActiveByHash(hash: string): Promise<ApiKey | null>;
  abstract findById(workspaceId: string, id: string): Promise<ApiKey | null>;
  abstract save(key: ApiKey): Promise<void>;
}
