// The in-memory slots read model passes the same contract as the database statement.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { InMemoryCalendarSubscriptionRepository } from '@adapters/in-memory/in-memory-calendar-subscription.repository.js';
import { InMemoryChangeNotificationCoverage } from '@adapters/in-memory/in-memory-change-notification-coverage.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { InMemoryHoldRepository } from '@adapters/in-memory/in-memory-hold.repository.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { slotsReadModelContract } from './slots-read-model.contract.js';

slotsReadModelContract('in-memory', async () => {
  const sources = {
    members: new InMemoryMemberRepository(),
    connections: new InMemoryMicrosoftConnectionRepository(),
    policies: new InMemoryAvailabilityPolicyRepository(),
    eventTypes: new InMemoryEventTypeRepository(),
    versions: new InMemoryCalendarVersions(),
    bookings: new InMemoryBookingRepository(),
  };
  const subscriptions = new InMemoryCalendarSubscriptionRepository();
  return {
    ...sources,
    holds: new InMemoryHoldRepository(sources.bookings),
    uow: new InMemoryUnitOfWork(),
    workspaces: new InMemoryWorkspaceRepository(),
    subscriptions,
    readModel: new InMemorySlotsReadModel({
      ...sources,
      coverage: new InMemoryChangeNotificationCoverage(subscriptions),
    }),
  };
});
