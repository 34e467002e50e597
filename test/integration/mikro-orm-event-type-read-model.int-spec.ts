// The event type read model's one statement passes the contract on PGlite (through the ORM) and, when
// DATABASE_URL is set, on PostgreSQL (a statement prepared on the server, and through the ORM inside a
// transaction).
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmMicrosoftConnectionRepository } from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmEventTypeRepository } from '@adapters/persistence/mikro-orm-event-type.repository.js';
import { MikroOrmEventTypeReadModel } from '@adapters/persistence/mikro-orm-event-type.read-model.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import {
  eventTypeReadModelContract,
  type EventTypeReadModelPorts,
} from '../contract/event-type-read-model.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { anEventType } from '../builders/availability.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function ports(): EventTypeReadModelPorts {
  const em = db.orm.em;
  return {
    readModel: new MikroOrmEventTypeReadModel(em),
    workspaces: new MikroOrmWorkspaceRepository(em),
    members: new MikroOrmMemberRepository(em),
    connections: new MikroOrmMicrosoftConnectionRepository(em),
    eventTypes: new MikroOrmEventTypeRepository(em),
  };
}

eventTypeReadModelContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () =>
  ports(),
);

describe('the event type read model in a transaction', () => {
  it('sees what the transaction wrote and not yet committed', async () => {
    const p = ports();
    const ws = aWorkspace();
    await p.workspaces.add(ws);
    const member = aMember({ workspaceId: ws.id });
    await p.members.add(member);
    const eventType = anEventType({ workspaceId: ws.id, hostIds: [member.id] });
    const seen = await new MikroOrmUnitOfWork(db.orm.em).transactional(async () => {
      await p.eventTypes.add(eventType);
      return p.readModel.one(ws.id, eventType.id);
    });
    expect(seen?.eventType.id).toBe(eventType.id);
  });
});
