// The in-memory change-notification stores pass the same contract as the PostgreSQL ones.
import { randomUUID } from 'node:crypto';
import {
  InMemoryCalendarSubscriptionRepository,
  InMemoryChangeNotificationCoverage,
  InMemoryChangeNotificationInbox,
} from '@adapters/in-memory/in-memory-calendar-subscriptions.js';
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
