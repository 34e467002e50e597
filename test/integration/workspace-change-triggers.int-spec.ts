// Migration 0031's triggers, on which the WorkspaceReadCache relies: every table with a `workspace_id` is either
// watched (a write of any kind, and a TRUNCATE, notifies) or named here as one no cached read reads — so a new
// table a cached read comes to read cannot be forgotten. On PostgreSQL, a write is heard by a listener: once per
// workspace a statement touched, at commit, and not at all when it rolls back.
import pg from 'pg';
import { execute } from '@adapters/persistence/sql.js';
import {
  WATCHED_TABLES,
  WORKSPACE_CHANGED_CHANNEL,
} from '@adapters/persistence/migrations/migration-0031-workspace-changes.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

/** Tables with a workspace_id that no cached read (slots, event type, booking) reads. */
const NOT_WATCHED = [
  'api_keys', // its own cache and notifications (ApiKeyRevocations)
  'audit_events',
  'authorization_states',
  'calendar_sync_queue',
  'domain_events',
  'microsoft_token_caches',
  'webhook_deliveries',
  'webhook_endpoints',
];

describe('workspace change triggers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  const sql = <T>(q: string, params: unknown[] = []) =>
    db.orm.em.getConnection().execute(q, params) as Promise<T[]>;

  it('watch every table with a workspace_id but those no cached read reads', async () => {
    const tables = (
      await sql<{ table_name: string }>(
        `select table_name from information_schema.columns
          where column_name = 'workspace_id' and table_schema = current_schema() order by table_name`,
      )
    ).map((r) => r.table_name);
    expect([...tables].sort()).toEqual([...WATCHED_TABLES, ...NOT_WATCHED].sort());
    const triggers = await sql<{ table: string; events: string }>(
      `select "table", string_agg(event, ',' order by event) as events
         from (select distinct c.relname as "table",
                      case when t.tgtype & 4 <> 0 then 'insert' when t.tgtype & 8 <> 0 then 'delete'
                           when t.tgtype & 16 <> 0 then 'update' else 'truncate' end as event
                 from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
                where p.proname in ('kailenty_workspace_changed', 'kailenty_workspaces_truncated')
                  and not t.tgisinternal) e
        group by "table" order by "table"`,
    );
    expect(triggers).toEqual(
      [...WATCHED_TABLES].sort().map((table) => ({ table, events: 'delete,insert,truncate,update' })),
    );
  });
});

describeOnPostgres('workspace change notifications', 'LISTEN needs a PostgreSQL server connection', () => {
  let db: TestDatabase;
  let listener: pg.Client;
  const heard: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    listener = new pg.Client({ connectionString: db.url! });
    await listener.connect();
    listener.on('notification', (m) => heard.push(m.payload ?? ''));
    await listener.query(`listen ${WORKSPACE_CHANGED_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await db?.close();
  });

  const sql = (q: string) => db.orm.em.getConnection().execute(q);
  let marks = 0;
  /**
   * Waits until the listener has heard everything committed so far: a marker notified now comes after it
   * (PostgreSQL delivers notifications in commit order), however long a loaded machine takes.
   */
  const settle = async () => {
    const mark = `mark-${++marks}`;
    await listener.query('select pg_notify($1, $2)', [WORKSPACE_CHANGED_CHANNEL, mark]);
    await eventually(() => expect(heard).toContain(mark));
    heard.splice(heard.indexOf(mark), 1);
  };

  it('are sent once per workspace a statement touched, at commit only', async () => {
    const [w1, w2] = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await sql(
      `insert into workspaces (id, name, return_url, created_at, updated_at) values
         ('${w1}', 'One', 'https://one.example.com', now(), now()), ('${w2}', 'Two', 'https://two.example.com', now(), now())`,
    );
    await settle();
    expect(heard).toEqual([]); // workspaces itself is not read by a cached read
    await sql(
      `insert into members (id, workspace_id, email, display_name, role, status, created_at, updated_at)
       select gen_random_uuid(), w, 'm' || n || '@example.com', 'M', 'member', 'active', now(), now()
         from (values ('${w1}'::uuid), ('${w2}'::uuid)) v(w), generate_series(1, 50) n`,
    );
    await settle();
    expect([...heard].sort()).toEqual([w1, w2]);
    heard.length = 0;
    await sql(`update members set display_name = 'N' where workspace_id = '${w2}'`);
    await settle();
    expect(heard).toEqual([w2]);
    heard.length = 0;
    await db.orm.em.transactional(async (em) => {
      await execute(em, `delete from members where workspace_id = '${w1}'`);
      await settle();
      expect(heard).toEqual([]); // not before the commit
    });
    await settle();
    expect(heard).toEqual([w1]);
    heard.length = 0;
    await db.orm.em
      .transactional(async (em) => {
        await execute(em, `delete from members where workspace_id = '${w2}'`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await settle();
    expect(heard).toEqual([]);
    await sql(`truncate members cascade`);
    await settle();
    expect(heard).toContain('*');
  });
});
