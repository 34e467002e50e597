// The audit trail over HTTP, with the real MSAL and Graph adapters against the Microsoft 365 emulator: each
// access change made through the API (and the revocations Microsoft reports) is read back from
// GET /v1/audit-events newest first, with its actor, client address and object, filtered, paged, kept to
// its workspace, and without a key, token or secret in it.
import type { Emulator } from '../../emulator/emulator.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';
import {
  connectMember,
  DEMO,
  microsoftConfig,
  refusedThenRecorded,
  startTestEmulator,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;

const operator = { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

interface Event {
  id: string;
  type: string;
  occurredAt: string;
  actor: { type: string; id?: string; name?: string };
  clientAddress: string | null;
  object: { type: string; id: string };
  details: Record<string, unknown>;
}

/** Everything one workspace did, and the secrets it was handed on the way. */
const ws = {} as {
  id: string;
  firstKey: string;
  firstKeyId: string;
  secondKey: string;
  secondKeyId: string;
  memberId: string;
  endpointId: string;
  webhookSecret: string;
};

async function trail(apiKey: string, query = ''): Promise<Event[]> {
  const res = await t.http().get(`/v1/audit-events${query}`).set(auth(apiKey));
  expect(res.status).toBe(200);
  return res.body.data as Event[];
}

beforeAll(async () => {
  emu = await startTestEmulator();
  t = await startTestApp(microsoftConfig(emu));

  // The operator creates the workspace (its first key) and issues a second key.
  const created = await t.workspace('Audited');
  Object.assign(ws, { id: created.id, firstKey: created.apiKey, firstKeyId: created.apiKeyId });
  const issued = await t.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(operator).expect(201);
  Object.assign(ws, { secondKey: issued.body.apiKey, secondKeyId: issued.body.id });

  // The first key adds Adele and activates her, registers a webhook endpoint and deletes it.
  const member = await t
    .http()
    .post('/v1/members')
    .set(auth(ws.firstKey))
    .send({ email: DEMO.users.adele.mail, displayName: 'Adele', role: 'member' })
    .expect(201);
  ws.memberId = member.body.id;
  await t
    .http()
    .patch(`/v1/members/${ws.memberId}`)
    .set(auth(ws.firstKey))
    .send({ status: 'active' })
    .expect(200);
  const endpoint = await t
    .http()
    .post('/v1/webhook-endpoints')
    .set(auth(ws.firstKey))
    .send({ url: 'http://127.0.0.1:9/hooks/tok_path-credential?sig=query-credential', events: ['*'] })
    .expect(201);
  Object.assign(ws, { endpointId: endpoint.body.id, webhookSecret: endpoint.body.secret });
  await t.http().delete(`/v1/webhook-endpoints/${ws.endpointId}`).set(auth(ws.firstKey)).expect(204);

  // Adele connects, the first key disconnects her, she connects again, then Microsoft refuses her refresh.
  const connect = async () =>
    expect((await connectMember(t, emu, ws.firstKey, ws.memberId)).location!.searchParams.get('result')).toBe(
      'connected',
    );
  await connect();
  await t.http().delete(`/v1/members/${ws.memberId}/microsoft-connection`).set(auth(ws.firstKey)).expect(204);
  await connect();
  emu.control.refuseRefreshTokens(DEMO.users.adele.id, 70008);
  await refusedThenRecorded(
    t,
    t.app.get(MicrosoftTokenProvider).accessToken(ws.id, ws.memberId, { forceRefresh: true }),
  );
  emu.control.refuseRefreshTokens(DEMO.users.adele.id, undefined as never);

  // The second key disables her; the operator revokes the first key.
  await t
    .http()
    .patch(`/v1/members/${ws.memberId}`)
    .set(auth(ws.secondKey))
    .send({ status: 'disabled' })
    .expect(200);
  await t.http().delete(`/v1/workspaces/${ws.id}/api-keys/${ws.firstKeyId}`).set(operator).expect(204);
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

describe('GET /v1/audit-events', () => {
  it('lists every access change, newest first, with its actor, client address, object and details', async () => {
    const events = await trail(ws.secondKey);
    const byKey = (id: string) => ({ type: 'api_key', id });
    const adele = { type: 'microsoft_account', id: DEMO.users.adele.id, name: 'Adele Vance' };
    const service = { type: 'service' };
    const member = { type: 'member', id: ws.memberId };
    expect(
      events.map(({ type, actor, clientAddress, object, details }) => ({
        type,
        actor,
        clientAddress,
        object,
        details,
      })),
    ).toEqual([
      {
        type: 'api_key.revoked',
        actor: { type: 'operator' },
        clientAddress: '127.0.0.1',
        object: { type: 'api_key', id: ws.firstKeyId },
        details: {},
      },
      {
        type: 'member.status_changed',
        actor: byKey(ws.secondKeyId),
        clientAddress: '127.0.0.1',
        object: member,
        details: { from: 'active', to: 'disabled' },
      },
      {
        type: 'member.connection_revoked',
        actor: service,
        clientAddress: null,
        object: member,
        details: { status: 'revoked', reason: 'AADSTS70008' },
      },
      {
        type: 'member.connected',
        actor: adele,
        clientAddress: '127.0.0.1',
        object: member,
        details: { tenantId: DEMO.tenantId },
      },
      {
        type: 'member.disconnected',
        actor: byKey(ws.firstKeyId),
        clientAddress: '127.0.0.1',
        object: member,
        details: {},
      },
      {
        type: 'member.connected',
        actor: adele,
        clientAddress: '127.0.0.1',
        object: member,
        details: { tenantId: DEMO.tenantId },
      },
      {
        type: 'webhook_endpoint.deleted',
        actor: byKey(ws.firstKeyId),
        clientAddress: '127.0.0.1',
        object: { type: 'webhook_endpoint', id: ws.endpointId },
        details: {},
      },
      {
        type: 'webhook_endpoint.created',
        actor: byKey(ws.firstKeyId),
        clientAddress: '127.0.0.1',
        object: { type: 'webhook_endpoint', id: ws.endpointId },
        details: { host: '127.0.0.1:9', events: ['*'] },
      },
      {
        type: 'member.status_changed',
        actor: byKey(ws.firstKeyId),
        clientAddress: '127.0.0.1',
        object: member,
        details: { from: 'pending', to: 'active' },
      },
      {
        type: 'member.added',
        actor: byKey(ws.firstKeyId),
        clientAddress: '127.0.0.1',
        object: member,
        details: { role: 'member' },
      },
      {
        type: 'api_key.issued',
        actor: { type: 'operator' },
        clientAddress: '127.0.0.1',
        object: { type: 'api_key', id: ws.secondKeyId },
        details: {},
      },
      {
        type: 'api_key.issued',
        actor: { type: 'operator' },
        clientAddress: '127.0.0.1',
        object: { type: 'api_key', id: ws.firstKeyId },
        details: {},
      },
    ]);
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events.every((e) => /^[0-9a-f-]{36}$/.test(e.id) && !Number.isNaN(Date.parse(e.occurredAt)))).toBe(
      true,
    );
  });

  it('says nothing secret: no API key, signing secret, operator token, webhook URL credential or token', async () => {
    const res = await t.http().get('/v1/audit-events?limit=200').set(auth(ws.secondKey)).expect(200);
    const dump = JSON.stringify(res.body);
    for (const secret of [
      ws.firstKey,
      ws.secondKey,
      ws.webhookSecret,
      TEST_OPERATOR_TOKEN,
      'tok_path-credential',
      'query-credential',
      'kly_',
      'whsec_',
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('filters by type, and pages through the same events without skipping or repeating', async () => {
    const all = await trail(ws.secondKey);
    const statusChanges = await trail(ws.secondKey, '?type=member.status_changed');
    expect(statusChanges.map((e) => e.details)).toEqual([
      { from: 'active', to: 'disabled' },
      { from: 'pending', to: 'active' },
    ]);
    expect(await trail(ws.secondKey, '?type=admin_consent.granted')).toEqual([]);

    const paged: Event[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.http().get(`/v1/audit-events${query}`).set(auth(ws.secondKey)).expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(5);
      paged.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const first = await t
      .http()
      .get('/v1/audit-events?type=member.connected&limit=1')
      .set(auth(ws.secondKey))
      .expect(200);
    const second = await t
      .http()
      .get(
        `/v1/audit-events?type=member.connected&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      )
      .set(auth(ws.secondKey))
      .expect(200);
    expect([...first.body.data, ...second.body.data].map((e: Event) => e.type)).toEqual([
      'member.connected',
      'member.connected',
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('keeps each workspace to its own trail', async () => {
    const other = await t.workspace('Elsewhere');
    const theirs = await trail(other.apiKey);
    expect(theirs).toEqual([
      expect.objectContaining({ type: 'api_key.issued', object: { type: 'api_key', id: other.apiKeyId } }),
    ]);
    const ours = new Set((await trail(ws.secondKey)).map((e) => e.id));
    expect(theirs.some((e) => ours.has(e.id))).toBe(false);
    expect((await trail(ws.secondKey)).some((e) => e.id === theirs[0]!.id)).toBe(false);
    // Our cursor does not open our events to them.
    const page = await t.http().get('/v1/audit-events?limit=1').set(auth(ws.secondKey)).expect(200);
    const across = await trail(other.apiKey, `?cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(across.every((e) => !ours.has(e.id))).toBe(true);
  });

  it('records the tenant’s consent revoked when Microsoft refuses the application, and each connection', async () => {
    const tenant = emu.control.addTenant({
      name: 'Tailspin',
      domain: 'tailspin.test',
      userConsent: 'allowed',
    });
    const user = emu.control.addUser({ tenantId: tenant.id, mail: 'lea@tailspin.test', displayName: 'Lea' });
    const other = await t.workspace('Tailspin');
    const member = await t
      .http()
      .post('/v1/members')
      .set(auth(other.apiKey))
      .send({ email: user.mail, displayName: 'Lea', role: 'member' })
      .expect(201);
    await t
      .http()
      .patch(`/v1/members/${member.body.id}`)
      .set(auth(other.apiKey))
      .send({ status: 'active' })
      .expect(200);
    await connectMember(t, emu, other.apiKey, member.body.id);
    emu.control.revokeConsent(tenant.id, { keepAccessTokens: true });
    await refusedThenRecorded(
      t,
      t.app.get(MicrosoftTokenProvider).accessToken(other.id, member.body.id, { forceRefresh: true }),
    );

    const revoked = await trail(other.apiKey, '?type=admin_consent.revoked');
    expect(revoked).toEqual([
      expect.objectContaining({
        actor: { type: 'service' },
        clientAddress: null,
        object: { type: 'microsoft_tenant', id: tenant.id },
        details: { reason: 'AADSTS700016' },
      }),
    ]);
    expect(await trail(other.apiKey, '?type=member.connection_revoked')).toEqual([
      expect.objectContaining({
        object: { type: 'member', id: member.body.id },
        details: { status: 'revoked', reason: 'AADSTS700016' },
      }),
    ]);
  });

  it.each([
    ['an unknown type', '?type=api_key.stolen', 'type'],
    ['a webhook event type', '?type=booking.created', 'type'],
    ['a limit of 0', '?limit=0', 'limit'],
    ['a limit over 200', '?limit=201', 'limit'],
    ['a limit that is not a number', '?limit=ten', 'limit'],
    ['a cursor this API did not return', '?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['an unknown parameter', '?actor=operator', 'actor'],
  ])('refuses %s with a 400 VALIDATION_FAILED problem', async (_, query, field) => {
    const res = await t.http().get(`/v1/audit-events${query}`).set(auth(ws.secondKey));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('answers 401 without a workspace API key: none, a revoked one, or the operator token', async () => {
    expect((await t.http().get('/v1/audit-events')).status).toBe(401);
    expect((await t.http().get('/v1/audit-events').set(auth(ws.firstKey))).status).toBe(401);
    expect((await t.http().get('/v1/audit-events').set(operator)).status).toBe(401);
  });

  it('forgets events older than 400 days on the scheduled purge, and keeps the rest', async () => {
    const other = await t.workspace('Old');
    const sql = (q: string, params: unknown[] = []) => t.db.orm.em.getConnection().execute(q, params);
    await sql(
      `insert into audit_events (id, workspace_id, type, actor_type, object_type, object_id, occurred_at)
       values (gen_random_uuid(), ?, 'api_key.revoked', 'operator', 'api_key', 'old', now() - interval '401 days'),
              (gen_random_uuid(), ?, 'api_key.revoked', 'operator', 'api_key', 'kept', now() - interval '399 days')`,
      [other.id, other.id],
    );
    const report = await t.app.get(BookingJobs).purgeOnce();
    expect(report.auditEvents).toBeGreaterThanOrEqual(1);
    expect((await trail(other.apiKey)).map((e) => e.object.id)).toEqual([other.apiKeyId, 'kept']);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const get = doc.paths['/v1/audit-events']?.get;
    expect(get).toBeDefined();
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'limit', 'type']);
  });
});
