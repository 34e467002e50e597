// The PostgreSQL hold adapter passes the contract (PGlite, or the server when DATABASE_URL is set).
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmHoldRepository } from '@adapters/persistence/mikro-orm-hold.repository.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { holdRepositoryContract } from '../contract/hold-repository.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

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
    given: async (n) => {
      const ws = aWorkspace();
      await new MikroOrmWorkspaceRepository(em).add(ws);
      const hostIds: string[] = [];
      for (let i = 0; i < n; i++) {
        const m = aMember({ workspaceId: ws.id });
        await new MikroOrmMemberRepository(em).add(m);
        hostIds.push(m.id);
      }
      return { workspaceId: ws.id, hostIds };
    },
  };
});
