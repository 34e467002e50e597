// An operator revokes an API key; requests with it are refused from then on.
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ApiKeyRepository } from '../ports/workspace.repository.js';

export class RevokeApiKey {
  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string; keyId: string }): Promise<void> {
    const key = await this.apiKeys.findById(input.workspaceId, input.keyId);
    if (!key) throw DomainError.notFound('API key');
    key.revoke(this.clock.now());
    await this.apiKeys.save(key);
  }
}
