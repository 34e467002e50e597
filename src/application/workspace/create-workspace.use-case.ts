// An operator creates a workspace; its first API key is returned once, in clear.
import { Workspace } from '@domain/workspace/workspace.js';
import { ApiKey } from '@domain/workspace/api-key.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { ApiKeyRepository, WorkspaceRepository } from '../ports/workspace.repository.js';

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
  ) {}

  async execute(input: { name: string; returnUrl: string }): Promise<CreatedWorkspace> {
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
    });
    return { workspace, apiKey: plaintext, apiKeyId: key.id };
  }
}
