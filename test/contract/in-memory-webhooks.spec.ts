// The in-memory webhook fakes pass the same contract as the database adapters.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryWebhookEndpointRepository } from '@adapters/in-memory/in-memory-webhook-endpoint.repository.js';
import { InMemoryWebhookDeliveryRepository } from '@adapters/in-memory/in-memory-webhook-delivery.repository.js';
import { InMemoryDomainEventFeed } from '@adapters/in-memory/in-memory-domain-event.feed.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { webhookRepositoryContract } from './webhook-repositories.contract.js';

webhookRepositoryContract('in-memory', async () => {
  const deliveries = new InMemoryWebhookDeliveryRepository();
  const feed = new InMemoryDomainEventFeed();
  return {
    workspaces: new InMemoryWorkspaceRepository(),
    endpoints: new InMemoryWebhookEndpointRepository(deliveries),
    deliveries,
    feed,
    record: async (event) => {
      feed.add(event);
    },
    uow: new InMemoryUnitOfWork(),
  };
});
