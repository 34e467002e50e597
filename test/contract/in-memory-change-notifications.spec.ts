// The in-memory change-notification stores pass the same contract as the PostgreSQL ones.
import { randomUUID } from 'node:crypto';
import { InMemoryCalendarSubscriptionRepository } from '@adapters/in-memory/in-memory-calendar-subscription.repository.js';
import { InMemoryChangeNotificationCoverage } from '@adapters/in-memory/in-memory-change-notification-coverage.js';
import { InMemoryChangeNotificationInbox } from '@adapters/in-memory/in-memory-change-notification.inbox.js';
import { changeNotificationContract } from './change-notification-repositories.contract.js';

changeNotificationContract('in memory', async () => {
  const subscriptions = new InMemoryCalendarSubscriptionRepository();
  return {
    subscriptions,
    coverage: new InMemoryChangeNotificationCoverage(subscriptions),
    inbox: new InMemoryChangeNotificationInbox(subscriptions),
    given: async (n) => ({
      workspaceId: randomUUID(),
      memberIds: Array.from({ length: n }, () => randomUUID()),
    }),
  };
});
