// The PostgreSQL booking adapters pass the contract; the no-overlap rule is the database's own.
import { randomUUID } from 'node:crypto';
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmCalendarSyncQueue } from '@adapters/persistence/mikro-orm-calendar-sync.queue.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { MikroOrmDomainEventOutbox } from '@adapters/persistence/mikro-orm-domain-event.outbox.js';
import { execute } from '@adapters/persistence/sql.js';
import { bookingRepositoryContract } from '../contract/booking-repositories.contract.js';
import { createTestDatabase, storedWorkspaceWithMembers, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

bookingRepositoryContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () => {
  const em = db.orm.em;
  return {
    outbox: new MikroOrmDomainEventOutbox(em),
    recorded: async (bookingId) => {
      const rows = await execute<{ type: string; sequence: number; data: unknown }>(
        em,
        'select type, sequence, data from domain_events where booking_id = ? order by sequence',
        [bookingId],
      );
      return rows.map((r) => ({
        ...r,
        data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
      }));
    },
    bookings: new MikroOrmBookingRepository(em),
    booked: new MikroOrmSlotsReadModel(em),
    queue: new MikroOrmCalendarSyncQueue(em),
    uow: new MikroOrmUnitOfWork(em),
    given: async (n) => ({ ...(await storedWorkspaceWithMembers(em, n)), eventTypeId: randomUUID() }),
  };
});
