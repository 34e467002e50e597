// The PostgreSQL server's client sends a transaction's `begin` with its first statement (one round trip less
// per transaction), and a transaction is still one: its statements share one transaction id, its first
// statement's lock is held to the commit, a rollback undoes the first statement, a failing first statement
// rolls back cleanly, and a first statement with parameters still runs inside it.
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/core';
import { execute } from '@adapters/persistence/sql.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';

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
    await execute(db.orm.em, 'create table lazy_begin_probe (n int primary key)');
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
      expect.stringMatching(/^begin;\s*select pg_current_xact_id/),
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
        await execute(em, 'insert into lazy_begin_probe (n) values (1)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(inTransaction((em) => execute(em, 'select * from no_such_table'))).rejects.toThrow(
      /no_such_table/,
    );
    const rows = await execute<{ n: number }>(db.orm.em, 'select n from lazy_begin_probe');
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
      await conn.query('insert into lazy_begin_probe (n) values ($1)', [7]);
      const mine = await conn.query('select count(*)::int as n from lazy_begin_probe');
      const theirs = await other.query('select count(*)::int as n from lazy_begin_probe');
      expect([mine.rows[0].n, theirs.rows[0].n]).toEqual([1, 0]);
      await conn.query('rollback');
    } finally {
      conn.release();
    }
    expect(sent.slice(0, 2)).toEqual(['begin', 'insert into lazy_begin_probe (n) values ($1)']);
    expect((await other.query('select count(*)::int as n from lazy_begin_probe')).rows[0].n).toBe(0);
  });
});
