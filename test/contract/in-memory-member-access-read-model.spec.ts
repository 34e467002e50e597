// The in-memory member access read model passes the same contract as the database statement.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { InMemoryMemberAccessReadModel } from '@adapters/in-memory/in-memory-member-access.read-model.js';
import { memberAccessReadModelContract } from './member-access-read-model.contract.js';

memberAccessReadModelContract('in-memory', async () => {
  const connections = new InMemoryMicrosoftConnectionRepository();
  const consents = new InMemoryTenantConsentRepository();
  return {
    workspaces: new InMemoryWorkspaceRepository(),
    members: new InMemoryMemberRepository(),
    connections,
    consents,
    readModel: new InMemoryMemberAccessReadModel(connections, consents),
  };
});
