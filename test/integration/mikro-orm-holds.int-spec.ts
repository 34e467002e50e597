// The PostgreSQL hold adapter passes the contract (PGlite, or the server when DATABASE_URL is set).
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmHoldRepository } from '@adapters/persistence/mikro-orm-hold.repository.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { holdRepositoryContract } from '../contract/hold-repository.contract.js';
import { createTestDatabase, storedWorkspaceWithMembers, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

holdRepositoryContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () => {
  const em = db.orm.em;
  return {
    bookings: new MikroOrmBookingRepository(em),
    holds: new MikroOrmHoldRepository(em),
    booked: new MikroOrmSlotsReadModel(em),
    uow: new MikroOrmUnitOfWork(em),
    given: (n) => storedWorkspaceWithMembers(em, n),
  };
});
