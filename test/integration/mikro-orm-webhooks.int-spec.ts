// The MikroORM webhook adapters pass the contract on PGlite (and on PostgreSQL when DATABASE_URL is set);
// secrets are sealed at rest, the schema refuses what the domain refuses, and on a PostgreSQL server
// concurrent dispatchers and senders hand each event and each attempt to exactly one of them.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmWebhookEndpointRepository } from '@adapters/persistence/mikro-orm-webhook-endpoint.repository.js';
import { MikroOrmWebhookDeliveryRepository } from '@adapters/persistence/mikro-orm-webhook-delivery.repository.js';
import { MikroOrmDomainEventFeed } from '@adapters/persistence/mikro-orm-domain-event.feed.js';
import { MikroOrmDomainEventOutbox } from '@adapters/persistence/mikro-orm-domain-event.outbox.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { SealedBox, keyIdOf } from '@adapters/crypto/sealed-box.js';
import { UuidIdGenerator } from '@adapters/system/uuid-id-generator.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { DispatchWebhookEvents } from '@application/webhook/dispatch-webhook-events.use-case.js';
import { webhookRepositoryContract } from '../contract/webhook-repositories.contract.js';
import {
  createTestDatabase,
  describeOnPostgres,
  usingPostgres,
  type TestDatabase,
} from '../support/database.js';
import { aWorkspace } from '../builders/member.builder.js';
import { aDelivery, anEndpoint } from '../builders/webhook.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const keys = [Buffer.alloc(32, 3)];

webhookRepositoryContract(`MikroORM on ${usingPostgres ? 'PostgreSQL' : 'PGlite'}`, async () => {
  const em = db.orm.em;
  const outbox = new MikroOrmDomainEventOutbox(em);
  return {
    workspaces: new MikroOrmWorkspaceRepository(em),
    endpoints: new MikroOrmWebhookEndpointRepository(em, new SealedBox(keys)),
    deliveries: new MikroOrmWebhookDeliveryRepository(em),
    feed: new MikroOrmDomainEventFeed(em),
    record: (event) => outbox.record(event),
    uow: new MikroOrmUnitOfWork(em),
  };
});

describe('the webhook schema', () => {
  async function workspace() {
    const ws = aWorkspace();
    await new MikroOrmWorkspaceRepository(db.orm.em).add(ws);
    return ws.id;
  }

  it('keeps signing secrets sealed at rest, readable with any configured key and resealed under the newest', async () => {
    const ws = await workspace();
    const old = Buffer.alloc(32, 1);
    const endpoint = anEndpoint({ workspaceId: ws });
    await new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([old])).add(endpoint, 20);
    const raw = async () =>
      (
        await db.orm.em
          .getConnection()
          .execute<Record<string, unknown>[]>('select * from webhook_endpoints where id = ?', [endpoint.id])
      )[0]!;
    const before = await raw();
    const secret = endpoint.secret!;
    expect(JSON.stringify(before)).not.toContain(secret);
    expect(Buffer.from(before.secret_ciphertext as Uint8Array).toString('utf8')).not.toContain(
      secret.slice(6),
    );
    const rotated = new MikroOrmWebhookEndpointRepository(
      db.orm.em,
      new SealedBox([Buffer.alloc(32, 2), old]),
    );
    expect((await rotated.findById(ws, endpoint.id))?.secret).toBe(endpoint.secret);
    expect((await raw()).secret_key_id).not.toBe(before.secret_key_id);
    const newOnly = new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([Buffer.alloc(32, 2)]));
    expect((await newOnly.findById(ws, endpoint.id))?.secret).toBe(endpoint.secret);
  });

  it('reads an endpoint whose secret is under a missing key with its secret withheld, never failing the others', async () => {
    const ws = await workspace();
    const k1 = Buffer.alloc(32, 11);
    const k2 = Buffer.alloc(32, 12);
    const lost = anEndpoint({ workspaceId: ws, events: ['*'], now: new Date('2026-01-01T00:00:00Z') });
    await new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([k1])).add(lost, 20);
    const kept = anEndpoint({ workspaceId: ws, events: ['*'], now: new Date('2026-01-02T00:00:00Z') });
    const k2Only = new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([k2]));
    await k2Only.add(kept, 20);

    const problem = `The signing secret of this endpoint is sealed under encryption key ${keyIdOf(k1)}, which is not configured (TOKEN_ENCRYPTION_KEY): the operator must configure that key again.`;
    const found = await k2Only.findById(ws, lost.id);
    expect(found?.secret).toBeNull();
    expect(found?.secretProblem).toBe(problem);
    expect(JSON.stringify(found?.toSnapshot())).not.toContain(lost.secret!);
    const page = await k2Only.list(ws, { limit: 10 });
    expect(page.data.map((e) => [e.id, e.secret, e.secretProblem])).toEqual([
      [lost.id, null, problem],
      [kept.id, kept.secret, null],
    ]);
    expect((await k2Only.subscribedTo(ws, 'booking.created')).map((e) => e.id)).toEqual([lost.id, kept.id]);
    // Nothing was re-sealed: the row still names the key it needs.
    const [row] = await db.orm.em
      .getConnection()
      .execute<{ secret_key_id: string }[]>('select secret_key_id from webhook_endpoints where id = ?', [
        lost.id,
      ]);
    expect(row!.secret_key_id).toBe(keyIdOf(k1));
    // With K1 configured again, the secret is back.
    expect(
      (await new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox([k2, k1])).findById(ws, lost.id))
        ?.secret,
    ).toBe(lost.secret);
  });

  it('refuses a delivery whose endpoint is of another workspace, and a status the domain does not know', async () => {
    const ws = await workspace();
    const other = await workspace();
    const endpoints = new MikroOrmWebhookEndpointRepository(db.orm.em, new SealedBox(keys));
    const endpoint = anEndpoint({ workspaceId: ws });
    await endpoints.add(endpoint, 20);
    const deliveries = new MikroOrmWebhookDeliveryRepository(db.orm.em);
    const foreign = aDelivery(anEndpoint({ id: endpoint.id, workspaceId: other }));
    await expect(deliveries.addMany([foreign])).rejects.toThrow(/foreign key/);
    await deliveries.addMany([aDelivery(endpoint)]);
    await expect(
      db.orm.em
        .getConnection()
        .execute(`update webhook_deliveries set status = 'sent' where endpoint_id = ?`, [endpoint.id]),
    ).rejects.toThrow(/check constraint/);
  });
});

describeOnPostgres(
  'on a PostgreSQL server, concurrently',
  'instances racing need connections of their own, and PGlite serves one',
  () => {
    it('dispatches each event once and starts each attempt once, however many instances race', async () => {
      await db.truncate();
      const ws = await workspace();
      const em = db.orm.em;
      const endpoints = new MikroOrmWebhookEndpointRepository(em, new SealedBox(keys));
      const endpoint = anEndpoint({ workspaceId: ws, events: ['*'] });
      await endpoints.add(endpoint, 20);
      const outbox = new MikroOrmDomainEventOutbox(em);
      const clock = new FixedClock('2026-12-01T08:00:00Z');
      for (let i = 0; i < 60; i++) {
        await outbox.record({
          workspaceId: ws,
          type: 'booking.created',
          data: { i },
          occurredAt: clock.now(),
        });
      }
      const instance = () =>
        new DispatchWebhookEvents(
          new MikroOrmDomainEventFeed(em),
          endpoints,
          new MikroOrmWebhookDeliveryRepository(em),
          new UuidIdGenerator(),
          clock,
          new MikroOrmUnitOfWork(em),
        );
      const runs = await Promise.all(
        Array.from({ length: 6 }, async () => {
          let total = 0;
          for (;;) {
            const done = await instance().execute({ limit: 7 });
            total += done.events;
            if (done.events === 0) return total;
          }
        }),
      );
      expect(runs.reduce((a, b) => a + b, 0)).toBe(60);
      const deliveries = new MikroOrmWebhookDeliveryRepository(em);
      const claims = await Promise.all(Array.from({ length: 6 }, () => deliveries.claimDue(clock.now(), 15)));
      const ids = claims.flat().map((d) => d.id);
      expect(ids).toHaveLength(60);
      expect(new Set(ids).size).toBe(60);
      expect(claims.flat().every((d) => d.attempts === 1)).toBe(true);

      async function workspace() {
        const w = aWorkspace();
        await new MikroOrmWorkspaceRepository(db.orm.em).add(w);
        return w.id;
      }
    });
  },
);
