// Workspaces in memory, for fast tests of use cases.
import { Workspace } from '@domain/workspace/workspace.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';

export class InMemoryWorkspaceRepository extends WorkspaceRepository {
  private readonly rows = new Map<string, ReturnType<Workspace['toSnapshot']>>();

  async add(workspace: Workspace): Promise<void> {
    if (this.rows.has(workspace.id)) throw new Error(`duplicate workspace ${workspace.id}`);
    this.rows.set(workspace.id, workspace.toSnapshot());
  }

  async findById(id: string): Promise<Workspace | null> {
    const row = this.rows.get(id);
    return row ? Workspace.fromSnapshot(row) : null;
  }

  async save(workspace: Workspace): Promise<void> {
    if (this.rows.has(workspace.id)) this.rows.set(workspace.id, workspace.toSnapshot());
  }
}
