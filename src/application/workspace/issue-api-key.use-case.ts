// An operator issues another API key for a workspace (several can be active, e.g. during rotation).
import { ApiKey } from '@domain/workspace/api-key.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { ApiKeyRepository, WorkspaceRepository } from '../ports/workspace.repository.js';

export class IssueApiKey {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string }): Promise<{ id: string; apiKey: string }> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    const plaintext = this.secrets.newApiKey();
    const key = ApiKey.issue({
      id: this.ids.next(),
      workspaceId: workspace.id,
      plaintext,
      hash: this.secrets.hash(plaintext),
      now: this.clock.now(),
    });
    await this.apiKeys.add(key);
    return { id: key.id, apiKey: plaintext };
  }
}
