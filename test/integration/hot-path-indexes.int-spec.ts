// Every statement the hot paths' repositories send reaches the large tables through an index: a few thousand
// seeded rows (bench/seed.ts, then ANALYZE), the statements captured at the node-postgres client as the
// repositories send them, and each EXPLAINed with its own parameters. On PostgreSQL only: the plans are the
// server's (`npm run bench:scale` does the same on a million bookings).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmWebhookDeliveryRepository } from '@adapters/persistence/mikro-orm-webhook-delivery.repository.js';
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import { captureStatements, explainAll, shortSql, type PlanReport } from '../../bench/plans.js';
import { seedBookings, seedDeliveries, seedMembers, seedWorkspaces, type Targets } from '../../bench/seed.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';

const MEMBERS = 40;
const BOOKINGS = 1_500;
const DELIVERIES = 1_000;

describeOnPostgres('hot-path statements on a few thousand rows', 'the plans checked are the server’s', () => {
  let db: TestDatabase;
  let targets: Targets;
  let hostId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url! });
    await client.connect();
    try {
      targets = await seedWorkspaces(client, 'Seed', 4);
      await seedMembers(client, targets, MEMBERS, 'm');
      await seedBookings(client, targets, {
        perWorkspace: BOOKINGS,
        hosts: MEMBERS,
        hostTag: 'm',
        tag: 'b',
        pastHours: 500 * 24,
        spacingHours: 24 * 20,
        minute: 0,
      });
      await seedDeliveries(client, targets, { perWorkspace: DELIVERIES, tag: 'd', daysAgo: 1 });
      await client.query('analyze');
      hostId = (
        await client.query<{ id: string }>('select id from members where workspace_id = $1 limit 1', [
          targets[0]!.workspaceId,
        ])
      ).rows[0]!.id;
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  /** The plans of what `work` sent, after checking it sent something. */
  async function plansOf(work: () => Promise<unknown>): Promise<PlanReport[]> {
    const capture = captureStatements();
    try {
      await work();
    } finally {
      capture.stop();
    }
    const statements = capture.statements();
    expect(statements.length).toBeGreaterThan(0);
    return explainAll(db.url!, statements, 1_000);
  }

  /** No sequential scan of a large table, and `table` read through an index. */
  function expectIndexed(plans: PlanReport[], table: string): void {
    for (const plan of plans) {
      expect({ sql: shortSql(plan.statement.text), seqScans: plan.seqScansOfLargeTables }).toEqual({
        sql: shortSql(plan.statement.text),
        seqScans: [],
      });
    }
    const scans = plans.flatMap((p) => p.scans).filter((s) => s.endsWith(` on ${table}`));
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan)/);
  }

  const now = () => new Date();

  it('the bookings list from ?start=, a later page, by host, and a booking by id', async () => {
    const bookings = new MikroOrmBookingRepository(db.orm.em.fork());
    const ws = targets[0]!.workspaceId;
    const first = await bookings.list(ws, { start: now() }, { limit: 50 });
    expect(first.nextCursor).not.toBeNull();
    expectIndexed(await plansOf(() => bookings.list(ws, { start: now() }, { limit: 50 })), 'bookings');
    expectIndexed(
      await plansOf(() => bookings.list(ws, { start: now() }, { limit: 50, cursor: first.nextCursor! })),
      'bookings',
    );
    expectIndexed(
      await plansOf(() => bookings.list(ws, { start: now(), hostId }, { limit: 50 })),
      'bookings',
    );
    expectIndexed(await plansOf(() => bookings.findById(ws, first.data[0]!.id)), 'bookings');
  });

  it('a host’s change notifications: their events’ bookings in one statement', async () => {
    const bookings = new MikroOrmBookingRepository(db.orm.em.fork());
    const ws = targets[0]!.workspaceId;
    const events = ['AAMkAD-one', 'AAMkAD-two', 'AAMkAD-three'];
    expectIndexed(await plansOf(() => bookings.findByCalendarEvents(ws, hostId, events)), 'bookings');
  });

  it('the reminder claim and the webhook delivery claim', async () => {
    const claimIn = async (claim: (em: typeof db.orm.em) => Promise<unknown>) => {
      const em = db.orm.em.fork();
      await em.begin();
      try {
        await claim(em);
      } finally {
        await em.rollback();
      }
    };
    expectIndexed(
      await plansOf(() => claimIn((em) => new MikroOrmBookingRepository(em).lockDueReminders(now(), 25))),
      'bookings',
    );
    expectIndexed(
      await plansOf(() => claimIn((em) => new MikroOrmWebhookDeliveryRepository(em).claimDue(now(), 50))),
      'webhook_deliveries',
    );
  });

  it('the webhook deliveries log, first and later page', async () => {
    const deliveries = new MikroOrmWebhookDeliveryRepository(db.orm.em.fork());
    const { workspaceId, endpointId } = targets[1]!;
    const first = await deliveries.listByEndpoint(workspaceId, endpointId, { limit: 50 });
    expect(first.nextCursor).not.toBeNull();
    expectIndexed(
      await plansOf(() => deliveries.listByEndpoint(workspaceId, endpointId, { limit: 50 })),
      'webhook_deliveries',
    );
    expectIndexed(
      await plansOf(() =>
        deliveries.listByEndpoint(workspaceId, endpointId, { limit: 50, cursor: first.nextCursor! }),
      ),
      'webhook_deliveries',
    );
  });

  it('the slots read model’s one statement (booked time of the hosts)', async () => {
    const readModel = new MikroOrmSlotsReadModel(db.orm.em.fork());
    const start = now();
    expectIndexed(
      await plansOf(() =>
        readModel.forHosts({
          workspaceId: targets[0]!.workspaceId,
          eventTypeId: randomUUID(),
          hostIds: [hostId],
          booked: { start: start.getTime(), end: start.getTime() + 7 * 86_400_000 },
          typeBooked: { start: start.getTime() - 9 * 86_400_000, end: start.getTime() + 16 * 86_400_000 },
          now: start,
        }),
      ),
      'bookings',
    );
  });
});
