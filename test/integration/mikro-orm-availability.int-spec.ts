// The MikroORM availability adapters pass the contract on PGlite (and on PostgreSQL when DATABASE_URL is
// set), and the database itself keeps policies and hosts inside their member's workspace.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmAvailabilityPolicyRepository } from '@adapters/persistence/mikro-orm-availability-policy.repository.js';
import { MikroOrmEventTypeRepository } from '@adapters/persistence/mikro-orm-event-type.repository.js';
import { availabilityRepositoryContract } from '../contract/availability-repositories.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aPolicy, anEventType } from '../builders/availability.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

availabilityRepositoryContract(
  `MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  async () => {
    const em = db.orm.em;
    return {
      workspaces: new MikroOrmWorkspaceRepository(em),
      members: new MikroOrmMemberRepository(em),
      policies: new MikroOrmAvailabilityPolicyRepository(em),
      eventTypes: new MikroOrmEventTypeRepository(em),
    };
  },
);

describe('the availability schema', () => {
  async function setUp() {
    const em = db.orm.em;
    const workspaces = new MikroOrmWorkspaceRepository(em);
    const members = new MikroOrmMemberRepository(em);
    const a = aWorkspace();
    const b = aWorkspace();
    await workspaces.add(a);
    await workspaces.add(b);
    const memberOfB = aMember({ workspaceId: b.id });
    await members.add(memberOfB);
    return { a, b, memberOfB };
  }

  it("refuses a policy for another workspace's member", async () => {
    const { a, memberOfB } = await setUp();
    await expect(
      new MikroOrmAvailabilityPolicyRepository(db.orm.em).save(
        aPolicy({ workspaceId: a.id, memberId: memberOfB.id }),
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it("refuses an event type hosted by another workspace's member, and writes nothing of it", async () => {
    const { a, memberOfB } = await setUp();
    const repository = new MikroOrmEventTypeRepository(db.orm.em);
    const eventType = anEventType({ workspaceId: a.id, hostIds: [memberOfB.id] });
    await expect(repository.add(eventType)).rejects.toThrow(/foreign key/);
    expect(await repository.findById(a.id, eventType.id)).toBeNull();
  });

  it('refuses a Teams event type with a location value', async () => {
    const { b, memberOfB } = await setUp();
    const s = anEventType({ workspaceId: b.id, hostIds: [memberOfB.id] }).toSnapshot();
    await expect(
      db.orm.em.getConnection().execute(
        `insert into event_types (id, workspace_id, slug, title, duration_minutes, location_kind, location_value, assignment, created_at, updated_at)
           values (?, ?, ?, 'x', 30, 'teams', 'somewhere', 'single', now(), now())`,
        [s.id, b.id, s.slug],
      ),
    ).rejects.toThrow(/check constraint/);
  });
});
