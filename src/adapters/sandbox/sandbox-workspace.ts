// Which workspace is the sandbox's demo workspace, once it exists.
import { DomainError } from '@domain/shared/domain-error.js';

export class SandboxWorkspace {
  private id: string | null = null;

  set(id: string): void {
    this.id = id;
  }

  workspaceId(): string {
    if (!this.id) throw DomainError.notFound('Sandbox workspace');
    return this.id;
  }
}
