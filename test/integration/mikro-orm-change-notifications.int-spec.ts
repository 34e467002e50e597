// The PostgreSQL change-notification stores pass the contract (PGlite, or a server with DATABASE_URL), and
// two instances racing for due renewals and inbox items never get the same one.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import {
  MikroOrmCalendarSubscriptionRepository,
  MikroOrmChangeNotificationCoverage,
  MikroOrmChangeNotificationInbox,
} from '@adapters/persistence/mikro-orm-calendar-subscriptions.js';
import { changeNotificationContract } from '../contract/change-notification-repositories.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function given(n: number) {
  const em = db.orm.em;
  const ws = aWorkspace();
  await new MikroOrmWorkspaceRepository(em).add(ws);
  const members = new MikroOrmMemberRepository(em);
  const memberIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = aMember({ workspaceId: ws.id });
    await members.add(m);
    memberIds.push(m.id);
  }
  return { workspaceId: ws.id, memberIds };
}

changeNotificationContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () => {
  const em = db.orm.em;
  return {
    subscriptions: new MikroOrmCalendarSubscriptionRepository(em),
    coverage: new MikroOrmChangeNotificationCoverage(em),
    inbox: new MikroOrmChangeNotificationInbox(em),
    given,
  };
});

describe('racing instances', () => {
  it('never claim the same subscription or inbox item twice', async () => {
    const now = new Date('2027-01-01T00:00:00Z');
    const { workspaceId, memberIds } = await given(6);
    const a = new MikroOrmCalendarSubscriptionRepository(db.orm.em.fork());
    const b = new MikroOrmCalendarSubscriptionRepository(db.orm.em.fork());
    const subIds: string[] = [];
    for (const memberId of memberIds) {
      const subscriptionId = `race-${memberId}`;
      subIds.push(subscriptionId);
      await a.save(
        {
          workspaceId,
          memberId,
          subscriptionId,
          clientStateHash: null,
          status: 'active',
          expiresAt: new Date(now.getTime() + 3600_000),
          dueAt: new Date(now.getTime() - 1),
          deltaLink: null,
          failureReason: null,
        },
        now,
      );
    }
    // Other tests' due rows share the table: only ours are counted, but no row may come twice.
    const claims = await Promise.all([
      a.claimDue(now, 60_000, 50),
      b.claimDue(now, 60_000, 50),
      a.claimDue(now, 60_000, 50),
    ]);
    const all = claims.flat().map((c) => c.memberId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => memberIds.includes(id)).sort()).toEqual([...memberIds].sort());

    const inbox = new MikroOrmChangeNotificationInbox(db.orm.em.fork());
    await inbox.accept(
      Array.from({ length: 30 }, (_, i) => ({
        kind: 'change' as const,
        subscriptionId: subIds[i % subIds.length]!,
        clientState: null,
        changeType: 'updated',
        eventId: `e${i}`,
        dedupeKey: `race-${i}`,
      })),
      now,
    );
    const x = new MikroOrmChangeNotificationInbox(db.orm.em.fork());
    const y = new MikroOrmChangeNotificationInbox(db.orm.em.fork());
    const claimedItems = (
      await Promise.all([x.claim(now, 60_000, 40), y.claim(now, 60_000, 40), x.claim(now, 60_000, 40)])
    ).flat();
    const ids = claimedItems.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(claimedItems.filter((i) => i.notification.subscriptionId.startsWith('race-'))).toHaveLength(30);
  });
});
