// The in-memory availability fakes pass the same contract as the database adapters.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { availabilityRepositoryContract } from './availability-repositories.contract.js';

availabilityRepositoryContract('in-memory', async () => ({
  workspaces: new InMemoryWorkspaceRepository(),
  members: new InMemoryMemberRepository(),
  policies: new InMemoryAvailabilityPolicyRepository(),
  eventTypes: new InMemoryEventTypeRepository(),
}));
