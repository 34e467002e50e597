// The in-memory fakes of the sign-in ports pass the same contract as the database adapters.
import { randomUUID } from 'node:crypto';
import { InMemoryAuthorizationStateRepository } from '@adapters/in-memory/in-memory-authorization-state.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { InMemoryTokenVault } from '@adapters/in-memory/in-memory-token-vault.js';
import { microsoftRepositoryContract } from './microsoft-repositories.contract.js';

microsoftRepositoryContract('in-memory', async () => ({
  connections: new InMemoryMicrosoftConnectionRepository(),
  consents: new InMemoryTenantConsentRepository(),
  states: new InMemoryAuthorizationStateRepository(),
  versions: new InMemoryCalendarVersions(),
  vault: new InMemoryTokenVault(),
  given: async (n) => ({
    workspaceId: randomUUID(),
    memberIds: Array.from({ length: n }, () => randomUUID()),
  }),
}));
