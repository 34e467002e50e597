// Which requests wrote: every statement the ORM sends, through the ORM's writes (em.insert, nativeUpdate),
// raw SQL and transactions alike, marks the request scope it runs in when it may write — a read, a lock or a
// transaction's control does not. The read cache's barrier waits only for requests that wrote.
import { randomUUID } from 'node:crypto';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { inRequestScope, noteStatement, requestWrote } from '@adapters/persistence/request-writes.js';
import { execute } from '@adapters/persistence/sql.js';
import { Workspace } from '@domain/workspace/workspace.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Runs `work` as one request would, and says whether it wrote. */
function wroteDuring(work: () => Promise<unknown>): Promise<boolean> {
  return new Promise((resolve, reject) =>
    inRequestScope(() => {
      work().then(() => resolve(requestWrote()), reject);
    }),
  );
}

describe('request writes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it('are noted for the ORM’s writes, raw writes and writes in a transaction, and not for reads or locks', async () => {
    const workspaces = new MikroOrmWorkspaceRepository(db.orm.em);
    const workspace = Workspace.create({ id: randomUUID(), name: 'Writes', now: new Date() });
    expect(await wroteDuring(() => workspaces.add(workspace))).toBe(true);
    expect(await wroteDuring(() => workspaces.findById(workspace.id))).toBe(false);
    workspace.update({ name: 'Renamed' }, new Date());
    expect(await wroteDuring(() => workspaces.save(workspace))).toBe(true);
    expect(
      await wroteDuring(() =>
        db.orm.em.transactional(async (em) => {
          await execute(em, `select pg_advisory_xact_lock(42)`);
          await execute(em, `select id from workspaces where id = ? for update`, [workspace.id]);
        }),
      ),
    ).toBe(false);
    expect(
      await wroteDuring(() =>
        db.orm.em.transactional((em) =>
          execute(em, `update workspaces set name = 'Again' where id = ?`, [workspace.id]),
        ),
      ),
    ).toBe(true);
    expect(
      await wroteDuring(() => execute(db.orm.em, `delete from workspaces where id = ?`, [workspace.id])),
    ).toBe(true);
  });

  it('are judged conservatively from the statement alone', () => {
    const judged = (sql: string) =>
      new Promise<boolean>((resolve) =>
        inRequestScope(() => {
          noteStatement(sql);
          resolve(requestWrote());
        }),
      );
    return Promise.all(
      [
        ['  SELECT 1', false],
        ['select pg_notify($1, $2)', false],
        ['begin', false],
        ['commit', false],
        ['insert into bookings values (1)', true],
        ['UPDATE "members" set a = 1', true],
        ['truncate holds', true],
        ['delete from workspaces where id = $1', true],
        ['with x as (insert into booking_hosts values (1) returning 1) select * from x', true],
        // Nothing a cached read shows: the notification inbox, the rate-limit counters.
        ['insert into graph_notification_inbox values (1)', false],
        ['update rate_limit_counters set count = 1', false],
      ].map(async ([sql, wrote]) => expect([sql, await judged(sql as string)]).toEqual([sql, wrote])),
    );
  });
});
