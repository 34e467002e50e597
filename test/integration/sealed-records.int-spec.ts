// The census of sealed records per key (/health) and their rotation to the newest key (`keys:rotate`), on
// PGlite (or PostgreSQL with DATABASE_URL): every kind of sealed record, in batches, resumable, leaving
// what it cannot open as it is; on a server, rows the service holds locked are left for a later pass.
import pg from 'pg';
import { SealedBox, keyIdOf } from '@adapters/crypto/sealed-box.js';
import { EncryptedTokenVault } from '@adapters/persistence/encrypted-token-vault.js';
import { MikroOrmIdempotencyStore } from '@adapters/persistence/mikro-orm-idempotency.store.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmWebhookEndpointRepository } from '@adapters/persistence/mikro-orm-webhook-endpoint.repository.js';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { SealedRecordCensus, rotateSealedRecords } from '@adapters/persistence/sealed-records.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { anEndpoint } from '../builders/webhook.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const k0 = Buffer.alloc(32, 40); // removed before the test: its records are unreadable
const k1 = Buffer.alloc(32, 41);
const k2 = Buffer.alloc(32, 42);
const now = new Date('2026-12-01T08:00:00Z');

/** A workspace with, under `key`, `n` of each sealed record: token caches, endpoints, stored responses. */
async function seed(key: Buffer, n: number) {
  const em = db.orm.em;
  const box = new SealedBox([key]);
  const ws = aWorkspace();
  await new MikroOrmWorkspaceRepository(em).add(ws);
  const vault = new EncryptedTokenVault(em, box);
  const endpoints = new MikroOrmWebhookEndpointRepository(em, box);
  const idempotency = new MikroOrmIdempotencyStore(em, box);
  const caches = [];
  const hooks = [];
  const responses = [];
  for (let i = 0; i < n; i++) {
    const member = aMember({ workspaceId: ws.id });
    await new MikroOrmMemberRepository(em).add(member);
    const vaultKey = { workspaceId: ws.id, memberId: member.id, homeAccountId: `oid-${i}.tid` };
    await vault.save(vaultKey, JSON.stringify({ RefreshToken: `rt-${member.id}` }));
    caches.push(vaultKey);
    const endpoint = anEndpoint({ workspaceId: ws.id });
    await endpoints.add(endpoint, 20);
    hooks.push(endpoint);
    const scope = `${ws.id} POST /v1/webhook-endpoints`;
    const started = await idempotency.begin(scope, `key-${i}`, 'f', now);
    if (started.kind !== 'started') throw new Error(`not claimed: ${started.kind}`);
    await idempotency.complete(started.claim, 201, { n: i, scope });
    responses.push({ scope, key: `key-${i}`, body: { n: i, scope } });
  }
  return { ws: ws.id, caches, hooks, responses };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** Every seeded record reads back, with `keys`, exactly as written. */
async function expectReadable(seeded: Seeded, keys: Buffer[]) {
  const em = db.orm.em;
  const box = new SealedBox(keys);
  for (const cache of seeded.caches) {
    expect(await new EncryptedTokenVault(em, box).load(cache)).toBe(
      JSON.stringify({ RefreshToken: `rt-${cache.memberId}` }),
    );
  }
  for (const hook of seeded.hooks) {
    expect((await new MikroOrmWebhookEndpointRepository(em, box).findById(seeded.ws, hook.id))?.secret).toBe(
      hook.secret,
    );
  }
  for (const r of seeded.responses) {
    expect(await new MikroOrmIdempotencyStore(em, box).begin(r.scope, r.key, 'f', now)).toEqual({
      kind: 'replay',
      status: 201,
      body: r.body,
    });
  }
}

async function keyIdsOf(table: string, column: string, where: string, params: unknown[]) {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ k: string }[]>(`select ${column} as k from ${table} where ${where}`, params);
  return rows.map((r: { k: string }) => r.k);
}

describe('sealed records', () => {
  it('are counted per key: older configured keys and keys that are not configured', async () => {
    await db.truncate();
    await seed(k0, 1);
    await seed(k1, 2);
    await seed(k2, 1);
    expect(await new SealedRecordCensus(db.orm.em, new SealedBox([k2, k1])).take()).toEqual({
      keys: [keyIdOf(k2), keyIdOf(k1)],
      recordsUnderOlderKeys: 6,
      recordsUnderMissingKeys: 3,
      missingKeys: [keyIdOf(k0)],
    });
    expect(await new SealedRecordCensus(db.orm.em, new SealedBox([k2])).take()).toMatchObject({
      recordsUnderOlderKeys: 0,
      recordsUnderMissingKeys: 9,
      missingKeys: [keyIdOf(k0), keyIdOf(k1)].sort(),
    });
  });

  it('are re-sealed under the newest key in batches, after which the older key can go; a second run does nothing', async () => {
    await db.truncate();
    const lost = await seed(k0, 1);
    const old = await seed(k1, 5);
    const fresh = await seed(k2, 1);
    // Running requests hold no sealed response yet: they are not records to rotate.
    await new MikroOrmIdempotencyStore(db.orm.em, new SealedBox([k1])).begin('s', 'running', 'f', now);
    const progress: [string, number][] = [];
    const box = new SealedBox([k2, k1]);
    const report = await rotateSealedRecords(db.orm.em, box, {
      batchSize: 2,
      onProgress: (label, n) => progress.push([label, n]),
    });
    expect(report.tables).toEqual([
      { label: 'Microsoft token caches', resealed: 5, corrupt: [], left: 0 },
      { label: 'webhook signing secrets', resealed: 5, corrupt: [], left: 0 },
      { label: 'stored idempotent responses', resealed: 5, corrupt: [], left: 0 },
    ]);
    expect(progress.filter(([label]) => label === 'webhook signing secrets')).toEqual([
      ['webhook signing secrets', 2],
      ['webhook signing secrets', 4],
      ['webhook signing secrets', 5],
    ]);
    expect(report.census).toEqual({
      keys: [keyIdOf(k2), keyIdOf(k1)],
      recordsUnderOlderKeys: 0,
      recordsUnderMissingKeys: 3,
      missingKeys: [keyIdOf(k0)],
    });
    // What K0 sealed is untouched (it cannot be opened), the rest now opens with K2 alone.
    expect(await keyIdsOf('webhook_endpoints', 'secret_key_id', 'workspace_id = ?', [lost.ws])).toEqual([
      keyIdOf(k0),
    ]);
    await expectReadable(old, [k2]);
    await expectReadable(fresh, [k2]);
    await expectReadable(lost, [k0]);

    const again = await rotateSealedRecords(db.orm.em, box, { batchSize: 2 });
    expect(again.tables.map((t) => t.resealed)).toEqual([0, 0, 0]);
  });

  it('leaves a record that its key fails to open as it is, and says which', async () => {
    await db.truncate();
    const seeded = await seed(k1, 2);
    // Endpoint a given b's sealed secret: it is sealed for b's id, so it does not open as a's.
    const [a, b] = seeded.hooks.map((h) => h.id);
    const conn = db.orm.em.getConnection();
    const [bRow] = await conn.execute<Record<string, Uint8Array>[]>(
      'select secret_iv, secret_tag, secret_ciphertext from webhook_endpoints where id = ?',
      [b],
    );
    await conn.execute(
      'update webhook_endpoints set secret_iv = ?, secret_tag = ?, secret_ciphertext = ? where id = ?',
      [
        Buffer.from(bRow!.secret_iv!),
        Buffer.from(bRow!.secret_tag!),
        Buffer.from(bRow!.secret_ciphertext!),
        a,
      ],
    );
    const report = await rotateSealedRecords(db.orm.em, new SealedBox([k2, k1]), { batchSize: 10 });
    expect(report.tables[1]).toEqual({
      label: 'webhook signing secrets',
      resealed: 1,
      corrupt: [a],
      left: 0,
    });
    expect(report.census.recordsUnderOlderKeys).toBe(1);
  });

  it('with a single key, has nothing to re-seal', async () => {
    await db.truncate();
    await seed(k1, 1);
    const report = await rotateSealedRecords(db.orm.em, new SealedBox([k1]), { batchSize: 10 });
    expect(report.olderKeys).toEqual([]);
    expect(report.tables.map((t) => t.resealed)).toEqual([0, 0, 0]);
    expect(report.census.recordsUnderOlderKeys).toBe(0);
  });
});

(usingPostgres ? describe : describe.skip)('on a PostgreSQL server, beside a running service', () => {
  it('skips rows the service holds locked, never overwrites what it wrote meanwhile, and a later run finishes', async () => {
    await db.truncate();
    const seeded = await seed(k1, 4);
    const held = seeded.hooks[1]!;
    // The service, mid-transaction on one endpoint row (as a writer would be).
    const service = new pg.Client({ connectionString: db.url! });
    await service.connect();
    try {
      await service.query('begin');
      await service.query('select id from webhook_endpoints where id = $1 for update', [held.id]);
      const box = new SealedBox([k2, k1]);
      const first = await rotateSealedRecords(db.orm.em, box, { batchSize: 2, lockWaitMs: 300 });
      expect(first.tables[1]).toMatchObject({ resealed: 3, left: 1 });
      // Meanwhile the service re-seals that secret under the newest key itself, and commits.
      const mine = new SealedBox([k2]).seal('whsec_written-by-the-service', `webhook-endpoint:${held.id}`);
      await service.query(
        'update webhook_endpoints set secret_key_id = $1, secret_iv = $2, secret_tag = $3, secret_ciphertext = $4 where id = $5',
        [mine.keyId, mine.iv, mine.tag, mine.ciphertext, held.id],
      );
      await service.query('commit');
      const second = await rotateSealedRecords(db.orm.em, box, { batchSize: 2 });
      expect(second.tables.map((t) => [t.resealed, t.left])).toEqual([
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
      expect(
        (
          await new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([k2])).findById(
            seeded.ws,
            held.id,
          )
        )?.secret,
      ).toBe('whsec_written-by-the-service');
    } finally {
      await service.end();
    }
  });
});
