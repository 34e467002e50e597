// A workspace changes its own settings (name, return URL, reminder lead time).
import type { Workspace } from '@domain/workspace/workspace.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export class UpdateWorkspace {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    changes: { name?: string; returnUrl?: string; reminderMinutes?: number };
  }): Promise<Workspace> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    workspace.update(input.changes, this.clock.now());
    await this.workspaces.save(workspace);
    return workspace;
  }
}
