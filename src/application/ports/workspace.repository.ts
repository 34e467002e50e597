// Where workspaces are kept.
import type { Workspace } from '@domain/workspace/workspace.js';

export abstract class WorkspaceRepository {
  abstract add(workspace: Workspace): Promise<void>;
  abstract findById(id: string): Promise<Workspace | null>;
  abstract save(workspace: Workspace): Promise<void>;
}
