// The PostgreSQL server's client sends a transaction's `begin` with its first statement, and its writes and
// locks marked WITH_NEXT with the statement after them or the commit (fewer round trips per transaction), and a
// transaction is still one: its statements share one transaction id, its first statement's lock is held to the
// commit, a read sent with a lock runs once the lock is granted, it reads its own waiting writes, a rollback
// undoes them, a failing one fails the commit and rolls back all (a write conflict among them reaches the use
// case as WriteConflict), and a first statement with parameters still runs inside it.
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { execute, executeWithNext } from '@adapters/persistence/sql.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { MikroOrmDomainEventOutbox } from '@adapters/persistence/mikro-orm-domain-event.outbox.js';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { WriteConflict } from '@application/ports/booking.repository.js';
import { Workspace } from '@domain/workspace/workspace.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

describeOnPostgres('a transaction on the PostgreSQL server', 'the client of the server driver only', () => {
  let db: TestDatabase;
  let other: pg.Client;
  /** Texts this process's pg clients sent to the server, in order. */
  const sent: string[] = [];
  const originalQuery = pg.Client.prototype.query;

  beforeAll(async () => {
    db = await createTestDatabase();
    other = new pg.Client({ connectionString: db.url! });
    await other.connect();
    await execute(db.orm.em, 'create table joined_probe (n int primary key)');
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (this !== other) sent.push(typeof args[0] === 'string' ? args[0] : '(query object)');
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
  });
  afterAll(async () => {
    pg.Client.prototype.query = originalQuery;
    await other?.end();
    await db?.close();
  });
  beforeEach(() => {
    sent.length = 0;
  });

  const inTransaction = <T>(work: (em: EntityManager) => Promise<T>) => db.orm.em.transactional(work);
  const xactId = async (em: EntityManager) =>
    String((await execute<{ id: string }>(em, 'select pg_current_xact_id()::text as id'))[0]!.id);

  it('sends `begin` with the first statement, and the statements share one transaction', async () => {
    const [first, second] = await inTransaction(async (em) => [await xactId(em), await xactId(em)]);
    expect(first).toBe(second);
    expect(sent).toEqual([
      expect.stringMatching(/^begin;\s*\/\* and then \*\/\s*select pg_current_xact_id/),
      expect.stringMatching(/^select pg_current_xact_id/),
      'commit',
    ]);
  });

  it('holds the first statement’s lock until the commit', async () => {
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const tx = inTransaction(async (em) => {
      await execute(em, 'select pg_advisory_xact_lock(4242)');
      locked();
      await holding;
    });
    await isLocked;
    const { rows } = await other.query('select pg_try_advisory_lock(4242) as got');
    expect(rows[0].got).toBe(false);
    release();
    await tx;
    const after = await other.query('select pg_try_advisory_lock(4242) as got');
    expect(after.rows[0].got).toBe(true);
    await other.query('select pg_advisory_unlock(4242)');
  });

  it('rolls back the first statement with the rest, and a failing first statement leaves the connection clean', async () => {
    await expect(
      inTransaction(async (em) => {
        await execute(em, 'insert into joined_probe (n) values (1)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(inTransaction((em) => execute(em, 'select * from no_such_table'))).rejects.toThrow(
      /no_such_table/,
    );
    const rows = await execute<{ n: number }>(db.orm.em, 'select n from joined_probe');
    expect(rows).toEqual([]);
    // Every pooled connection is usable and outside any transaction afterwards.
    for (let i = 0; i < 12; i++) {
      const [{ open }] = await execute<{ open: boolean }>(
        db.orm.em,
        'select pg_current_xact_id_if_assigned() is null and now() = statement_timestamp() as open',
      );
      expect(open).toBe(true);
    }
  });

  it('sends a write at commit with the next statement, which reads it, or with the commit', async () => {
    const seen = await inTransaction(async (em) => {
      await execute(em, 'select 1');
      await executeWithNext(em, 'insert into joined_probe (n) values (1)');
      const rows = await execute<{ n: number }>(em, 'select n from joined_probe');
      await executeWithNext(em, 'insert into joined_probe (n) values (2)');
      return rows.map((r) => r.n);
    });
    expect(seen).toEqual([1]);
    expect(sent).toEqual([
      expect.stringMatching(/^begin;\s*\/\* and then \*\/\s*select 1$/),
      expect.stringMatching(
        /^\/\* with next \*\/ insert .* values \(1\);\s*\/\* and then \*\/\s*select n from/,
      ),
      expect.stringMatching(/^\/\* with next \*\/ insert .* values \(2\);\s*\/\* and then \*\/\s*commit$/),
    ]);
    const stored = await execute<{ n: number }>(db.orm.em, 'select n from joined_probe order by n');
    expect(stored.map((r) => r.n)).toEqual([1, 2]);
    await execute(db.orm.em, 'delete from joined_probe');
  });

  it('sends a lock with the read after it, which sees what was committed before the lock was granted', async () => {
    await other.query('begin');
    await other.query('select pg_advisory_xact_lock(4343)');
    await other.query('insert into joined_probe (n) values (9)');
    const read = inTransaction(async (em) => {
      await executeWithNext(em, 'select pg_advisory_xact_lock(4343)');
      return (await execute<{ n: number }>(em, 'select n from joined_probe')).map((r) => r.n);
    });
    // The read waits on the lock (seen waiting, not after a guessed delay that a loaded machine could
    // outlast), and reads once the row is committed with it.
    await eventually(async () => {
      const { rows } = await other.query(
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory' and objid = 4343 and not granted
            and database = (select oid from pg_database where datname = current_database())`,
      );
      expect(rows[0].n).toBe(1);
    });
    await other.query('commit');
    expect(await read).toEqual([9]);
    expect(sent[0]).toMatch(
      /^begin;\s*\/\* and then \*\/\s*\/\* with next \*\/ select pg_advisory_xact_lock\(4343\);\s*\/\* and then \*\/\s*select n from/,
    );
    await execute(db.orm.em, 'delete from joined_probe');
  });

  it('fails the commit when a write at commit fails, and rolls back everything', async () => {
    await expect(
      inTransaction(async (em) => {
        await execute(em, 'insert into joined_probe (n) values (5)');
        await executeWithNext(em, 'insert into joined_probe (n) values (6)');
        await executeWithNext(em, 'insert into joined_probe (n) values (6)');
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(sent.at(-1)).toBe('rollback');
    expect(await execute(db.orm.em, 'select n from joined_probe')).toEqual([]);
    // Rolled back before anything was sent: nothing is.
    sent.length = 0;
    await expect(
      inTransaction(async (em) => {
        await executeWithNext(em, 'insert into joined_probe (n) values (7)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(sent).toEqual([]);
  });

  it('tells a fact number taken at commit as WriteConflict, and stores neither fact', async () => {
    const workspace = Workspace.create({ id: randomUUID(), name: 'Facts', now: new Date() });
    await new MikroOrmWorkspaceRepository(db.orm.em).add(workspace);
    const uow = new MikroOrmUnitOfWork(db.orm.em);
    const outbox = new MikroOrmDomainEventOutbox(db.orm.em);
    const booking = { id: randomUUID(), sequence: 1 };
    const fact = {
      workspaceId: workspace.id,
      type: 'booking.created',
      data: {},
      occurredAt: new Date(),
      booking,
    };
    await expect(
      uow.transactional(async () => {
        await outbox.record(fact);
        await outbox.record(fact);
      }),
    ).rejects.toBeInstanceOf(WriteConflict);
    const stored = await execute(db.orm.em, 'select id from domain_events where booking_id = ?', [
      booking.id,
    ]);
    expect(stored).toEqual([]);
  });

  it('sends nothing for a transaction that sends nothing', async () => {
    await inTransaction(async () => undefined);
    expect(sent).toEqual([]);
  });

  it('runs a first statement with parameters inside the transaction, `begin` ahead of it', async () => {
    const conn = await (db.orm.em.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> })
      .getNativeClient()
      .then((pool) => pool.connect());
    try {
      await conn.query('begin');
      await conn.query('insert into joined_probe (n) values ($1)', [7]);
      const mine = await conn.query('select count(*)::int as n from joined_probe');
      const theirs = await other.query('select count(*)::int as n from joined_probe');
      expect([mine.rows[0].n, theirs.rows[0].n]).toEqual([1, 0]);
      await conn.query('rollback');
    } finally {
      conn.release();
    }
    expect(sent.slice(0, 2)).toEqual(['begin', 'insert into joined_probe (n) values ($1)']);
    expect((await other.query('select count(*)::int as n from joined_probe')).rows[0].n).toBe(0);
  });
});
