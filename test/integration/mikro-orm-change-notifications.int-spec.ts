// The PostgreSQL change-notification stores pass the contract (PGlite, or a server with DATABASE_URL), and
// two instances racing for due renewals and inbox items never get the same one.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmCalendarSubscriptionRepository } from '@adapters/persistence/mikro-orm-calendar-subscription.repository.js';
import { MikroOrmChangeNotificationCoverage } from '@adapters/persistence/mikro-orm-change-notification-coverage.js';
import { MikroOrmChangeNotificationInbox } from '@adapters/persistence/mikro-orm-change-notification.inbox.js';
import { changeNotificationContract } from '../contract/change-notification-repositories.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { execute as runSql } from '@adapters/persistence/sql.js';

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
        changeKey: null,
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

describe('acknowledgement path', () => {
  it('bodies received in the same turn of the event loop share one insert', async () => {
    const { workspaceId, memberIds } = await given(1);
    const subscriptionId = `group-${memberIds[0]}`;
    await new MikroOrmCalendarSubscriptionRepository(db.orm.em).save(
      {
        workspaceId,
        memberId: memberIds[0]!,
        subscriptionId,
        clientStateHash: 'a'.repeat(64),
        status: 'active',
        expiresAt: new Date('2027-01-03T00:00:00Z'),
        dueAt: null,
        deltaLink: null,
        failureReason: null,
      },
      new Date('2027-01-01T00:00:00Z'),
    );
    const em = db.orm.em.fork();
    // Counts the inbox inserts the store sends (raw SQL goes through EntityManager.execute).
    const raw = em as unknown as { execute: (query: string, ...rest: unknown[]) => unknown };
    const execute = raw.execute.bind(raw);
    let inserts = 0;
    raw.execute = (query, ...rest) => {
      if (/insert into graph_notification_inbox/.test(query)) inserts++;
      return execute(query, ...rest);
    };
    const inbox = new MikroOrmChangeNotificationInbox(em);
    const accepted = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        inbox.accept(
          [
            {
              kind: 'change',
              subscriptionId,
              clientState: 'state',
              changeType: 'updated',
              eventId: 'AAMk-1',
              changeKey: null,
              dedupeKey: `group-${memberIds[0]}-${i}`,
            },
          ],
          new Date('2027-01-01T00:00:00Z'),
        ),
      ),
    );
    expect(accepted).toEqual(Array(10).fill(1));
    expect(inserts).toBe(1);
  });
});

describe('last notification handled', () => {
  it('is kept to the minute: an instance writes it at most once a minute, and not over a later one', async () => {
    const { workspaceId, memberIds } = await given(1);
    const subscriptionId = `notified-${memberIds[0]}`;
    const at = (s: number) => new Date(Date.parse('2027-01-01T00:00:00Z') + s * 1000);
    const em = db.orm.em.fork();
    const raw = em as unknown as { execute: (query: string, ...rest: unknown[]) => unknown };
    const execute = raw.execute.bind(raw);
    let updates = 0;
    raw.execute = (query, ...rest) => {
      if (/last_notification_at = /.test(query)) updates++;
      return execute(query, ...rest);
    };
    const a = new MikroOrmCalendarSubscriptionRepository(em);
    const b = new MikroOrmCalendarSubscriptionRepository(db.orm.em.fork());
    await a.save(
      {
        workspaceId,
        memberId: memberIds[0]!,
        subscriptionId,
        clientStateHash: null,
        status: 'active',
        expiresAt: at(86_400),
        dueAt: null,
        deltaLink: null,
        failureReason: null,
      },
      at(0),
    );
    const stored = async () => {
      const [row] = await runSql<{ t: Date | string | null }>(
        db.orm.em.fork(),
        'select last_notification_at as t from graph_subscriptions where subscription_id = ?',
        [subscriptionId],
      );
      return row?.t == null ? null : new Date(row.t).toISOString();
    };
    await a.recordNotified(subscriptionId, at(1));
    expect(await stored()).toBe(at(1).toISOString());
    for (const s of [2, 30, 60]) await a.recordNotified(subscriptionId, at(s));
    expect(updates).toBe(1);
    // Another instance within the minute leaves it.
    await b.recordNotified(subscriptionId, at(40));
    expect(await stored()).toBe(at(1).toISOString());
    await a.recordNotified(subscriptionId, at(61));
    expect(updates).toBe(2);
    expect(await stored()).toBe(at(61).toISOString());
  });
});
