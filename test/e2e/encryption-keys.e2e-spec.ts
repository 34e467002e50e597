// The three failures after TOKEN_ENCRYPTION_KEY went from "K2,K1" to "K2" with records still sealed
// under K1: a webhook endpoint (listing 500, every workspace's webhooks stopped), a member's token cache
// (silently revoked, connection.revoked sent) and a stored idempotent response (the request ran again).
// Now: the endpoint is listed with its problem and its deliveries record it while other workspaces' are
// delivered; the member answers 500 ENCRYPTION_KEY_MISSING (a warning in a pool) and stays connected; the
// replay is refused with 500 ENCRYPTION_KEY_MISSING; /health counts what is sealed under K1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyIdOf } from '@adapters/crypto/sealed-box.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { WebhookJobs } from '@adapters/jobs/webhook-jobs.js';
import { verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';
import type { Emulator } from '../../emulator/emulator.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  DEMO,
  activeMember,
  connectMember,
  microsoftConfig,
  startTestEmulator,
} from '../support/microsoft.js';

const K1 = Buffer.alloc(32, 21);
const K2 = Buffer.alloc(32, 22);
const K1_ID = keyIdOf(K1);
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let emu: Emulator;
let db: TestDatabase;
let app: TestApp;
const received: { workspace: string; body: string; signature: string }[] = [];
let receiver: Server;
let hookUrl: string;

const start = (keys: Buffer[]) => startTestApp({ ...microsoftConfig(emu), tokenEncryptionKeys: keys }, db);

// What K1 sealed, made while K1 was configured.
let lost: {
  ws: { id: string; apiKey: string };
  memberId: string;
  endpoint: { id: string; secret: string };
  createBody: { url: string; events: string[] };
};

beforeAll(async () => {
  emu = await startTestEmulator();
  db = await createTestDatabase();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        workspace: req.url!.split('/').pop()!,
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['kailenty-signature']),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  app = await start([K1]);
  const ws = await app.workspace('Sealed under K1');
  const memberId = await activeMember(app, ws.apiKey, DEMO.users.megan.mail);
  expect((await connectMember(app, emu, ws.apiKey, memberId)).status).toBe(302);
  const createBody = { url: `${hookUrl}/${ws.id}`, events: ['*'] };
  const created = await app
    .http()
    .post('/v1/webhook-endpoints')
    .set(bearer(ws.apiKey))
    .set('Idempotency-Key', 'create-once')
    .send(createBody);
  expect(created.status).toBe(201);
  lost = { ws, memberId, endpoint: created.body, createBody };
  await app.close();
  // The operator drops K1 without rotating.
  app = await start([K2]);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  await emu?.close();
  await new Promise((r) => receiver?.close(r));
});

function expectKeyMissing(res: {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(500);
  expect(res.body).toMatchObject({ status: 500, code: 'ENCRYPTION_KEY_MISSING' });
  expect(res.body.detail).toContain(`sealed under encryption key ${K1_ID}, which is not configured`);
  expect(JSON.stringify(res.body)).not.toContain(K1.toString('base64'));
}

describe('records sealed under a key that is no longer configured', () => {
  it('a webhook endpoint is still listed and read, with its problem and without any secret', async () => {
    const problem = `The signing secret of this endpoint is sealed under encryption key ${K1_ID}, which is not configured (TOKEN_ENCRYPTION_KEY): the operator must configure that key again.`;
    const list = await app.http().get('/v1/webhook-endpoints').set(bearer(lost.ws.apiKey));
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: lost.endpoint.id, deliveryProblem: problem }),
    ]);
    const one = await app.http().get(`/v1/webhook-endpoints/${lost.endpoint.id}`).set(bearer(lost.ws.apiKey));
    expect(one.status).toBe(200);
    expect(one.body.deliveryProblem).toBe(problem);
    expect(JSON.stringify([list.body, one.body])).not.toContain(lost.endpoint.secret);
  });

  it("does not stop another workspace's webhooks: that delivery records why, the others go out", async () => {
    const other = await app.workspace('Sealed under K2');
    const mine = await app
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(other.apiKey))
      .send({ url: `${hookUrl}/${other.id}`, events: ['*'] });
    expect(mine.status).toBe(201);
    const outbox = app.app.get(DomainEventOutbox);
    // The oldest event first, in the workspace whose secret cannot be read.
    for (const workspaceId of [lost.ws.id, other.id, lost.ws.id, other.id]) {
      await outbox.record({
        workspaceId,
        type: 'booking.created',
        data: { workspaceId },
        occurredAt: new Date(),
      });
    }
    const run = await app.app.get(WebhookJobs).runOnce();
    expect(run).toMatchObject({ events: 4, deliveries: 4, attempted: 4, succeeded: 2 });
    expect(received.map((r) => r.workspace)).toEqual([other.id, other.id]);
    for (const r of received)
      expect(verifyKailentySignature(mine.body.secret, r.signature, r.body, 300, new Date())).toBe(true);
    const log = await app
      .http()
      .get(`/v1/webhook-endpoints/${lost.endpoint.id}/deliveries`)
      .set(bearer(lost.ws.apiKey));
    expect(log.body.data).toHaveLength(2);
    for (const delivery of log.body.data) {
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: null });
      expect(delivery.lastError).toContain(
        `not sent: The signing secret of this endpoint is sealed under encryption key ${K1_ID}`,
      );
    }
  });

  it("a member's token cache is a configuration error (500, a warning in a pool), not a revocation", async () => {
    const { ws, memberId } = lost;
    const alex = await activeMember(app, ws.apiKey, DEMO.users.alex.mail);
    expect((await connectMember(app, emu, ws.apiKey, alex)).status).toBe(302);
    const eventType = async (hostIds: string[]) => {
      const res = await app
        .http()
        .post('/v1/event-types')
        .set(bearer(ws.apiKey))
        .send({
          slug: `meet-${hostIds.length}`,
          title: 'Meet',
          durationMinutes: 30,
          location: { kind: 'in_person', value: 'Room 1' },
          hostIds,
          assignment: hostIds.length === 1 ? 'single' : 'round_robin',
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const from = new Date(Date.now() + 2 * 86_400_000);
    const range = `start=${from.toISOString()}&end=${new Date(from.getTime() + 86_400_000).toISOString()}`;
    const single = await eventType([memberId]);
    expectKeyMissing(await app.http().get(`/v1/event-types/${single}/slots?${range}`).set(bearer(ws.apiKey)));
    const pool = await eventType([memberId, alex]);
    const slots = await app.http().get(`/v1/event-types/${pool}/slots?${range}`).set(bearer(ws.apiKey));
    expect(slots.status).toBe(200);
    expect(slots.body.warnings).toEqual([{ code: 'ENCRYPTION_KEY_MISSING', memberId }]);
    for (const slot of slots.body.slots) expect(slot.hostIds).toEqual([alex]);

    const member = await app.http().get(`/v1/members/${memberId}`).set(bearer(ws.apiKey));
    expect(member.body.microsoft.connection).toBe('connected');
    const revoked = await db.orm.em
      .getConnection()
      .execute(`select 1 from domain_events where type = 'connection.revoked'`);
    expect(revoked).toEqual([]);
  });

  it('an idempotent retry is refused instead of creating a second endpoint', async () => {
    const retry = await app
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(lost.ws.apiKey))
      .set('Idempotency-Key', 'create-once')
      .send(lost.createBody);
    expectKeyMissing(retry);
    expect(retry.body.detail).toContain('The stored response to this Idempotency-Key');
    const list = await app.http().get('/v1/webhook-endpoints').set(bearer(lost.ws.apiKey));
    expect(list.body.data).toHaveLength(1);
  });

  it('/health counts the records sealed under keys that are not configured', async () => {
    const res = await app.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'up',
      encryption: {
        keys: [keyIdOf(K2)],
        recordsUnderOlderKeys: 0,
        // Megan's token cache, the endpoint's secret, the stored response.
        recordsUnderMissingKeys: 3,
        missingKeys: [K1_ID],
      },
    });
  });

  it('with K1 configured again, everything reads again', async () => {
    await app.close();
    app = await start([K2, K1]);
    const list = await app.http().get('/v1/webhook-endpoints').set(bearer(lost.ws.apiKey));
    expect(list.body.data[0].deliveryProblem).toBeNull();
    const retry = await app
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(lost.ws.apiKey))
      .set('Idempotency-Key', 'create-once')
      .send(lost.createBody);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await app.http().get('/health')).body.encryption).toMatchObject({
      keys: [keyIdOf(K2), K1_ID],
      recordsUnderMissingKeys: 0,
    });
  });
});
