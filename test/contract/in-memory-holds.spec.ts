// The in-memory hold fake passes the same contract as the PostgreSQL adapter.
import { randomUUID } from 'node:crypto';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { InMemoryHoldRepository } from '@adapters/in-memory/in-memory-hold.repository.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { holdRepositoryContract } from './hold-repository.contract.js';

holdRepositoryContract('in-memory', async () => {
  const bookings = new InMemoryBookingRepository();
  return {
    bookings,
    holds: new InMemoryHoldRepository(bookings),
    booked: new InMemorySlotsReadModel({
      eventTypes: new InMemoryEventTypeRepository(),
      members: new InMemoryMemberRepository(),
      connections: new InMemoryMicrosoftConnectionRepository(),
      policies: new InMemoryAvailabilityPolicyRepository(),
      bookings,
    }),
    uow: new InMemoryUnitOfWork(),
    given: async (n) => ({
      workspaceId: randomUUID(),
      hostIds: Array.from({ length: n }, () => randomUUID()),
    }),
  };
});
