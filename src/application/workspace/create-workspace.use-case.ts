// An operator creates a workspace; its first API key is returned once, in clear, and is the first entry of
// the workspace's audit trail.
import { Workspace } from '@domain/workspace/workspace.js';
import { ApiKey } from '@domain/workspace/api-key.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { ApiKeyRepository } from '../ports/api-key.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface CreatedWorkspace {
  workspace: Workspace;
  apiKey: string;
  apiKeyId: string;
}

export class CreateWorkspace {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: { name: string; returnUrl?: string; by: Initiator }): Promise<CreatedWorkspace> {
    const now = this.clock.now();
    const workspace = Workspace.create({
      id: this.ids.next(),
      name: input.name,
      returnUrl: input.returnUrl,
      now,
    });
    const plaintext = this.secrets.newApiKey();
    const key = ApiKey.issue({
      id: this.ids.next(),
      workspaceId: workspace.id,
      plaintext,
      hash: this.secrets.hash(plaintext),
      now,
    });
    await this.uow.transactional(async () => {
      await this.workspaces.add(workspace);
      await this.apiKeys.add(key);
      await this.audit.record(workspace.id, {
        type: 'api_key.issued',
        objectId: key.id,
        details: {},
        by: input.by,
        occurredAt: now,
      });
    });
    return { workspace, apiKey: plaintext, apiKeyId: key.id };
  }
}
