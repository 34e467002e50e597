// The member access read model's one statement passes the contract on PGlite (through the ORM) and, when
// DATABASE_URL is set, on PostgreSQL (a statement prepared on the server).
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmMicrosoftConnectionRepository } from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmTenantConsentRepository } from '@adapters/persistence/mikro-orm-tenant-consent.repository.js';
import { MikroOrmMemberAccessReadModel } from '@adapters/persistence/mikro-orm-member-access.read-model.js';
import { memberAccessReadModelContract } from '../contract/member-access-read-model.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

memberAccessReadModelContract(
  `MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  async () => {
    const em = db.orm.em;
    return {
      readModel: new MikroOrmMemberAccessReadModel(em),
      workspaces: new MikroOrmWorkspaceRepository(em),
      members: new MikroOrmMemberRepository(em),
      connections: new MikroOrmMicrosoftConnectionRepository(em),
      consents: new MikroOrmTenantConsentRepository(em),
    };
  },
);
