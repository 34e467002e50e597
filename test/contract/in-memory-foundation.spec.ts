// The in-memory fakes pass the same contract as the database adapters.
import { InMemoryApiKeyRepository } from '@adapters/in-memory/in-memory-api-key.repository.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryIdempotencyStore } from '@adapters/in-memory/in-memory-idempotency.store.js';
import { foundationRepositoryContract } from './foundation-repositories.contract.js';

foundationRepositoryContract('in-memory', async () => ({
  workspaces: new InMemoryWorkspaceRepository(),
  apiKeys: new InMemoryApiKeyRepository(),
  members: new InMemoryMemberRepository(),
  idempotency: new InMemoryIdempotencyStore(),
}));
