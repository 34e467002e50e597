// The in-memory event type read model passes the same contract as the database statement.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryEventTypeReadModel } from '@adapters/in-memory/in-memory-event-type.read-model.js';
import { eventTypeReadModelContract } from './event-type-read-model.contract.js';

eventTypeReadModelContract('in-memory', async () => {
  const eventTypes = new InMemoryEventTypeRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  return {
    workspaces: new InMemoryWorkspaceRepository(),
    members: new InMemoryMemberRepository(),
    connections,
    eventTypes,
    readModel: new InMemoryEventTypeReadModel(eventTypes, connections),
  };
});
