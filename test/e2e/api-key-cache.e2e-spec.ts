// Authentication from the in-process key cache: a key that worked is served without reading api_keys
// again, and a revocation is refused at once — on the instance that revoked it and, on PostgreSQL, on
// another instance (its cache hears the revocation's notification). An instance that cannot listen
// does not trust its cache: every request reads the database, as without a cache.
import { createOrm } from '@adapters/persistence/orm.js';
import { ApiKeyRevocations } from '@adapters/persistence/api-key-revocations.js';
import type { PostgresListener } from '@adapters/persistence/postgres-listener.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const operator = bearer(TEST_OPERATOR_TOKEN);

/** Whether the instance's cache hears revocations now (its listening connection is up). */
const listening = (t: TestApp) =>
  (t.app.get(ApiKeyRevocations) as unknown as { listener: PostgresListener }).listener.live;

/** Runs `work` with the api_keys table out of reach: only a cached key can authenticate meanwhile. */
async function withoutApiKeysTable(db: TestDatabase, work: () => Promise<void>): Promise<void> {
  const sql = (q: string) => db.orm.em.getConnection().execute(q);
  await sql('alter table api_keys rename to api_keys_away');
  try {
    await work();
  } finally {
    await sql('alter table api_keys_away rename to api_keys');
  }
}

describe('API keys from the cache, one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('serves a key that worked without reading api_keys, and refuses it on the very next request once revoked', async () => {
    const ws = await t.workspace();
    await t.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
    await withoutApiKeysTable(t.db, async () => {
      await t.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
    });
    await t.http().delete(`/v1/workspaces/${ws.id}/api-keys/${ws.apiKeyId}`).set(operator).expect(204);
    expect((await t.http().get('/v1/members').set(bearer(ws.apiKey))).status).toBe(401);
  });

  it('does not cache keys that are unknown', async () => {
    const made_up = 'kly_' + 'x'.repeat(40);
    expect((await t.http().get('/v1/members').set(bearer(made_up))).status).toBe(401);
    await withoutApiKeysTable(t.db, async () => {
      // Not from the cache: the lookup needs the table, which is away.
      expect((await t.http().get('/v1/members').set(bearer(made_up))).status).toBe(500);
    });
  });
});

describeOnPostgres(
  'API keys from the cache, two instances',
  'two service instances need a PostgreSQL server (PGlite serves one connection in one process)',
  () => {
    let db: TestDatabase;
    let second: TestDatabase;
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      const orm = await createOrm({ kind: 'postgres', url: db.url! });
      second = { ...db, orm, close: () => orm.close() };
      a = await startTestApp({}, db);
      b = await startTestApp({}, second);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await second?.close();
      await db?.close();
    });

    it('refuses on instance B the request right after A revoked the key that B had cached', async () => {
      for (let round = 0; round < 5; round++) {
        const ws = await a.workspace();
        const next = await a.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(operator).expect(201);
        for (const key of [ws.apiKey, next.body.apiKey as string]) {
          await b.http().get('/v1/members').set(bearer(key)).expect(200);
        }
        await withoutApiKeysTable(db, async () => {
          await b.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
        });
        await a.http().delete(`/v1/workspaces/${ws.id}/api-keys/${ws.apiKeyId}`).set(operator).expect(204);
        expect((await b.http().get('/v1/members').set(bearer(ws.apiKey))).status).toBe(401);
        expect((await a.http().get('/v1/members').set(bearer(ws.apiKey))).status).toBe(401);
        // Rotation: the other key of the workspace still works on both.
        await b.http().get('/v1/members').set(bearer(next.body.apiKey)).expect(200);
        await a.http().get('/v1/members').set(bearer(next.body.apiKey)).expect(200);
      }
    });

    it('reads the database while its listening connection is lost, and caches again once it is back', async () => {
      const ws = await a.workspace();
      await b.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
      const sql = (q: string) => db.orm.em.getConnection().execute(q);
      await sql(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kailenty-api-keys' and datname = current_database()`,
      );
      // B notices (pg_terminate_backend only signals the server process: it ends in its own time).
      await eventually(() => expect(listening(b)).toBe(false));
      // B's cache is not trusted now: without the table its request fails instead of being served.
      await withoutApiKeysTable(db, async () => {
        expect((await b.http().get('/v1/members').set(bearer(ws.apiKey))).status).toBe(500);
      });
      // Listening again after the retry (1 s): a revocation is heard again.
      await eventually(() => expect(listening(b)).toBe(true));
      await b.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
      await withoutApiKeysTable(db, async () => {
        await b.http().get('/v1/members').set(bearer(ws.apiKey)).expect(200);
      });
      await a.http().delete(`/v1/workspaces/${ws.id}/api-keys/${ws.apiKeyId}`).set(operator).expect(204);
      expect((await b.http().get('/v1/members').set(bearer(ws.apiKey))).status).toBe(401);
    });
  },
);
