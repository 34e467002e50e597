// Turns a presented API key into the workspace it selects, or refuses it.
import { API_KEY_PREFIX } from '@domain/workspace/api-key.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Secrets } from '../ports/secrets.js';
import { ApiKeyRepository } from '../ports/api-key.repository.js';

export class AuthenticateApiKey {
  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly secrets: Secrets,
  ) {}

  async execute(presented: string | undefined): Promise<{ workspaceId: string; apiKeyId: string }> {
    if (!presented || !presented.startsWith(API_KEY_PREFIX)) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'A workspace API key is required: Authorization: Bearer kly_…',
      );
    }
    const key = await this.apiKeys.findActiveByHash(this.secrets.hash(presented));
    if (!key) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid or has been revoked.');
    return { workspaceId: key.workspaceId, apiKeyId: key.id };
  }
}
