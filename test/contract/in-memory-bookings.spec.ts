// The in-memory booking fakes pass the same contract as the PostgreSQL adapters.
import { randomUUID } from 'node:crypto';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryCalendarSyncQueue } from '@adapters/in-memory/in-memory-calendar-sync.queue.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { bookingRepositoryContract } from './booking-repositories.contract.js';

bookingRepositoryContract('in-memory', async () => {
  const bookings = new InMemoryBookingRepository();
  const outbox = new InMemoryDomainEventOutbox();
  return {
    outbox,
    recorded: async (bookingId) =>
      outbox.events
        .filter((e) => e.booking?.id === bookingId)
        .map((e) => ({ type: e.type, sequence: e.booking!.sequence, data: e.data })),
    bookings,
    booked: new InMemorySlotsReadModel({
      eventTypes: new InMemoryEventTypeRepository(),
      members: new InMemoryMemberRepository(),
      connections: new InMemoryMicrosoftConnectionRepository(),
      policies: new InMemoryAvailabilityPolicyRepository(),
      bookings,
    }),
    queue: new InMemoryCalendarSyncQueue(),
    uow: new InMemoryUnitOfWork(),
    given: async (n) => ({
      workspaceId: randomUUID(),
      eventTypeId: randomUUID(),
      hostIds: Array.from({ length: n }, () => randomUUID()),
    }),
  };
});
