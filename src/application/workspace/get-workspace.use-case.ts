// A workspace reads its own settings.
import type { Workspace } from '@domain/workspace/workspace.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export class GetWorkspace {
  constructor(private readonly workspaces: WorkspaceRepository) {}

  async execute(input: { workspaceId: string }): Promise<Workspace> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    return workspace;
  }
}
