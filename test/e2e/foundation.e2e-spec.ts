// The foundation over real HTTP: operator and workspace authentication, workspace isolation on every
// endpoint, problem+json on every kind of bad input (and nothing written), idempotent creates, health, docs.
import { randomUUID } from 'node:crypto';
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const operator = { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

async function memberCount(apiKey: string): Promise<number> {
  const res = await t.http().get('/v1/members?limit=200').set(bearer(apiKey));
  return res.body.data.length;
}

describe('public endpoints', () => {
  it('GET /health reports the database', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('serves an OpenAPI 3 document describing the endpoints', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/workspaces',
      '/v1/workspaces/{id}/api-keys',
      '/v1/workspaces/{id}/api-keys/{keyId}',
      '/v1/members',
      '/v1/members/{id}',
      '/health',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect(res.body.components.schemas.MemberDto.properties).toHaveProperty('microsoft');
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await t.http().get('/v1/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe('operators', () => {
  it('creates a workspace whose API key is shown once and works at once', async () => {
    const res = await t
      .http()
      .post('/v1/workspaces')
      .set(operator)
      .send({ name: 'Acme', returnUrl: 'https://acme.test/back' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Acme',
      returnUrl: 'https://acme.test/back',
      apiKey: expect.stringMatching(/^kly_[\w-]{40,}$/),
      apiKeyId: expect.any(String),
    });
    expect((await t.http().get('/v1/members').set(bearer(res.body.apiKey))).status).toBe(200);
    const stored = await t.db.orm.em
      .getConnection()
      .execute<{ hash: string }[]>('select hash from api_keys where workspace_id = ?', [res.body.id]);
    expect(stored[0]!.hash).not.toContain(res.body.apiKey.slice(4));
  });

  it('refuses operator endpoints without the operator token, and with a workspace API key', async () => {
    const ws = await t.workspace();
    expectProblem(
      await t.http().post('/v1/workspaces').send({ name: 'x', returnUrl: 'https://x.test' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t
        .http()
        .post('/v1/workspaces')
        .set(bearer(ws.apiKey))
        .send({ name: 'x', returnUrl: 'https://x.test' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t
        .http()
        .post('/v1/workspaces')
        .set({ Authorization: 'Bearer wrong-operator-token-xxxxxxxx' })
        .send({ name: 'x', returnUrl: 'https://x.test' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(bearer(ws.apiKey)),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('issues several keys per workspace and revokes one without touching the others', async () => {
    const ws = await t.workspace();
    const second = await t.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(operator);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ id: expect.any(String), apiKey: expect.stringMatching(/^kly_/) });
    expect(
      (await t.http().delete(`/v1/workspaces/${ws.id}/api-keys/${ws.apiKeyId}`).set(operator)).status,
    ).toBe(204);
    expectProblem(await t.http().get('/v1/members').set(bearer(ws.apiKey)), 401, 'UNAUTHENTICATED');
    expect((await t.http().get('/v1/members').set(bearer(second.body.apiKey))).status).toBe(200);
  });

  it("treats another workspace's key id, an unknown workspace and a malformed id as not found", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    expectProblem(
      await t.http().delete(`/v1/workspaces/${b.id}/api-keys/${a.apiKeyId}`).set(operator),
      404,
      'NOT_FOUND',
    );
    expect((await t.http().get('/v1/members').set(bearer(a.apiKey))).status).toBe(200);
    expectProblem(
      await t.http().post(`/v1/workspaces/${randomUUID()}/api-keys`).set(operator),
      404,
      'NOT_FOUND',
    );
    expectProblem(await t.http().post('/v1/workspaces/not-a-uuid/api-keys').set(operator), 404, 'NOT_FOUND');
  });

  it.each([
    [{}, ['name']],
    [{ name: '', returnUrl: 'https://x.test' }, ['name']],
    [{ name: 'x', returnUrl: 'not a url' }, ['returnUrl']],
    [{ name: 'x', returnUrl: 'javascript:alert(1)' }, ['returnUrl']],
    [{ name: 'x'.repeat(201), returnUrl: 'https://x.test' }, ['name']],
    [{ name: 'x', returnUrl: 'https://x.test', admin: true }, ['admin']],
  ])(
    'refuses a bad workspace %j with VALIDATION_FAILED naming %j, creating nothing',
    async (body, fields) => {
      const before = await t.db.orm.em
        .getConnection()
        .execute<{ n: string }[]>('select count(*)::int as n from workspaces');
      const res = await t.http().post('/v1/workspaces').set(operator).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([...fields].sort());
      const after = await t.db.orm.em
        .getConnection()
        .execute<{ n: string }[]>('select count(*)::int as n from workspaces');
      expect(after[0]!.n).toEqual(before[0]!.n);
    },
  );
});

describe('members', () => {
  it('adds a pending member, reads, lists, activates and renames it', async () => {
    const ws = await t.workspace();
    const created = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .send({ email: 'Adele.Vance@contoso.com', displayName: 'Adele Vance', role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'Adele.Vance@contoso.com',
      displayName: 'Adele Vance',
      role: 'admin',
      status: 'pending',
      microsoft: {
        connection: 'not_connected',
        userId: null,
        tenantId: null,
        timeZone: null,
        teamsEnabled: null,
        connectedAt: null,
        lastSignInAt: null,
      },
    });
    const id = created.body.id;
    expect((await t.http().get(`/v1/members/${id}`).set(bearer(ws.apiKey))).body).toEqual(created.body);
    const patched = await t
      .http()
      .patch(`/v1/members/${id}`)
      .set(bearer(ws.apiKey))
      .send({ status: 'active', displayName: 'Adele V.' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'active', displayName: 'Adele V.', role: 'admin' });
    const disabled = await t
      .http()
      .patch(`/v1/members/${id}`)
      .set(bearer(ws.apiKey))
      .send({ status: 'disabled' });
    expect(disabled.body.status).toBe('disabled');
    const list = await t.http().get('/v1/members').set(bearer(ws.apiKey));
    expect(list.body).toEqual({
      data: [expect.objectContaining({ id, status: 'disabled' })],
      nextCursor: null,
    });
  });

  it('pages with limit and cursor', async () => {
    const ws = await t.workspace();
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post('/v1/members')
        .set(bearer(ws.apiKey))
        .send({ email: `p${i}@contoso.com`, displayName: `P${i}`, role: 'member' })
        .expect(201);
    }
    const first = await t.http().get('/v1/members?limit=2').set(bearer(ws.apiKey));
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const emails: string[] = first.body.data.map((m: { email: string }) => m.email);
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await t
        .http()
        .get(`/v1/members?limit=2&cursor=${encodeURIComponent(cursor)}`)
        .set(bearer(ws.apiKey));
      emails.push(...page.body.data.map((m: { email: string }) => m.email));
      cursor = page.body.nextCursor;
    }
    expect(emails).toEqual([
      'p0@contoso.com',
      'p1@contoso.com',
      'p2@contoso.com',
      'p3@contoso.com',
      'p4@contoso.com',
    ]);
    expectProblem(
      await t.http().get('/v1/members?limit=201').set(bearer(ws.apiKey)),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.http().get('/v1/members?cursor=garbage').set(bearer(ws.apiKey)),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("isolates workspaces: another workspace's member is 404 on every endpoint and never listed", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const m = await t
      .http()
      .post('/v1/members')
      .set(bearer(a.apiKey))
      .send({ email: 'iso@contoso.com', displayName: 'Iso', role: 'member' });
    expectProblem(await t.http().get(`/v1/members/${m.body.id}`).set(bearer(b.apiKey)), 404, 'NOT_FOUND');
    expectProblem(
      await t.http().patch(`/v1/members/${m.body.id}`).set(bearer(b.apiKey)).send({ status: 'active' }),
      404,
      'NOT_FOUND',
    );
    expect((await t.http().get('/v1/members').set(bearer(b.apiKey))).body.data).toEqual([]);
    // The same email is fine in another workspace.
    expect(
      (
        await t
          .http()
          .post('/v1/members')
          .set(bearer(b.apiKey))
          .send({ email: 'iso@contoso.com', displayName: 'Iso', role: 'member' })
      ).status,
    ).toBe(201);
    expect((await t.http().get(`/v1/members/${m.body.id}`).set(bearer(a.apiKey))).body.status).toBe(
      'pending',
    );
  });

  it('requires a valid API key on every member endpoint', async () => {
    const id = randomUUID();
    for (const req of [
      t.http().get('/v1/members'),
      t.http().post('/v1/members').send({ email: 'x@y.co', displayName: 'X', role: 'member' }),
      t.http().get(`/v1/members/${id}`),
      t.http().patch(`/v1/members/${id}`).send({ status: 'active' }),
    ]) {
      const res = await req.set({ Authorization: 'Bearer kly_not-a-real-key' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it.each([
    [{ displayName: 'X', role: 'member' }, ['email']],
    [{ email: 'not-an-email', displayName: 'X', role: 'member' }, ['email']],
    [{ email: 'x@y.co', displayName: '', role: 'member' }, ['displayName']],
    [{ email: 'x@y.co', displayName: 'X', role: 'owner' }, ['role']],
    [{ email: 'x@y.co', displayName: 'X', role: 'member', status: 'active' }, ['status']],
    [{ email: 42, displayName: ['X'], role: null }, ['displayName', 'email', 'role']],
  ])('refuses a bad new member %j naming %j, and adds nothing', async (body, fields) => {
    const ws = await t.workspace();
    const res = await t.http().post('/v1/members').set(bearer(ws.apiKey)).send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual(
      [...fields].sort(),
    );
    expect(await memberCount(ws.apiKey)).toBe(0);
  });

  it('refuses a duplicate email and bad updates, changing nothing', async () => {
    const ws = await t.workspace();
    const m = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .send({ email: 'dup@contoso.com', displayName: 'Dup', role: 'member' });
    const dup = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .send({ email: 'DUP@contoso.com', displayName: 'Dup 2', role: 'member' });
    expectProblem(dup, 400, 'VALIDATION_FAILED');
    expect(dup.body.errors).toEqual([{ field: 'email', message: expect.stringContaining('already exists') }]);
    for (const body of [
      { status: 'pending' },
      { role: 'owner' },
      { displayName: '' },
      { email: 'new@contoso.com' },
    ]) {
      expectProblem(
        await t.http().patch(`/v1/members/${m.body.id}`).set(bearer(ws.apiKey)).send(body),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect((await t.http().get(`/v1/members/${m.body.id}`).set(bearer(ws.apiKey))).body).toEqual(m.body);
    expect(await memberCount(ws.apiKey)).toBe(1);
  });

  it('turns malformed JSON, a wrong content type and an oversize body into problems', async () => {
    const ws = await t.workspace();
    const malformed = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .set('content-type', 'application/json')
      .send('{"email":');
    expectProblem(malformed, 400, 'VALIDATION_FAILED');
    const big = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.co', displayName: 'x'.repeat(2 * 1024 * 1024), role: 'member' }));
    expectProblem(big, 413, 'PAYLOAD_TOO_LARGE');
    const xml = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .set('content-type', 'application/xml')
      .send('<member/>');
    expect([400, 415]).toContain(xml.status);
    expect(xml.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await memberCount(ws.apiKey)).toBe(0);
  });
});

describe('workspace settings', () => {
  it('reads and changes the caller’s own workspace, validating every field', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const got = await t.http().get('/v1/workspace').set(bearer(ws.apiKey));
    expect(got.body).toEqual({
      id: ws.id,
      name: expect.any(String),
      returnUrl: ws.returnUrl,
      tenantId: null,
      reminderMinutes: 60,
    });
    const patched = await t
      .http()
      .patch('/v1/workspace')
      .set(bearer(ws.apiKey))
      .send({ reminderMinutes: 15, name: 'Renamed' });
    expect(patched.body).toMatchObject({ id: ws.id, name: 'Renamed', reminderMinutes: 15 });
    for (const body of [
      { reminderMinutes: -1 },
      { reminderMinutes: 1.5 },
      { returnUrl: 'nope' },
      { name: '' },
      { tenantId: 'x' },
    ]) {
      expectProblem(
        await t.http().patch('/v1/workspace').set(bearer(ws.apiKey)).send(body),
        400,
        'VALIDATION_FAILED',
      );
    }
    expect((await t.http().get('/v1/workspace').set(bearer(ws.apiKey))).body).toMatchObject({
      name: 'Renamed',
      reminderMinutes: 15,
    });
    expect((await t.http().get('/v1/workspace').set(bearer(other.apiKey))).body.reminderMinutes).toBe(60);
    expectProblem(await t.http().get('/v1/workspace'), 401, 'UNAUTHENTICATED');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and refuses another body', async () => {
    const ws = await t.workspace();
    const body = { email: 'idem@contoso.com', displayName: 'Idem', role: 'member' };
    const first = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .set('Idempotency-Key', 'k-1')
      .send(body);
    expect(first.status).toBe(201);
    const replay = await t
      .http()
      .post('/v1/members')
      .set(bearer(ws.apiKey))
      .set('Idempotency-Key', 'k-1')
      .send({ role: 'member', displayName: 'Idem', email: 'idem@contoso.com' });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expectProblem(
      await t
        .http()
        .post('/v1/members')
        .set(bearer(ws.apiKey))
        .set('Idempotency-Key', 'k-1')
        .send({ ...body, displayName: 'Other' }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await memberCount(ws.apiKey)).toBe(1);
  });

  it('scopes keys per workspace', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const body = { email: 'scope@contoso.com', displayName: 'Scope', role: 'member' };
    expect(
      (await t.http().post('/v1/members').set(bearer(a.apiKey)).set('Idempotency-Key', 'same').send(body))
        .status,
    ).toBe(201);
    const inB = await t
      .http()
      .post('/v1/members')
      .set(bearer(b.apiKey))
      .set('Idempotency-Key', 'same')
      .send(body);
    expect(inB.status).toBe(201);
    expect(await memberCount(b.apiKey)).toBe(1);
  });

  it('replays a refusal the handler decided (first status and body), even once the request would pass', async () => {
    const ws = await t.workspace();
    const post = (key: string, body: object) =>
      t.http().post('/v1/members').set(bearer(ws.apiKey)).set('Idempotency-Key', key).send(body);
    const taken = { email: 'taken@contoso.com', displayName: 'Taken', role: 'member' };
    expect((await post('first', taken)).status).toBe(201);
    // The use case refuses the duplicate e-mail: that is this key's outcome for good.
    const refused = await post('dup', taken);
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    const replay = await post('dup', taken);
    expectProblem(replay, 400, 'VALIDATION_FAILED');
    expect(replay.body).toEqual(refused.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expectProblem(await post('dup', { ...taken, email: 'other@contoso.com' }), 409, 'IDEMPOTENCY_KEY_REUSED');
    // A 404 decided by the handler (an unknown workspace) is replayed too.
    const missing = `/v1/workspaces/${randomUUID()}/api-keys`;
    const notFound = await t.http().post(missing).set(operator).set('Idempotency-Key', 'nf');
    expectProblem(notFound, 404, 'NOT_FOUND');
    const again = await t.http().post(missing).set(operator).set('Idempotency-Key', 'nf');
    expectProblem(again, 404, 'NOT_FOUND');
    expect(again.body).toEqual(notFound.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await memberCount(ws.apiKey)).toBe(1);
  });

  it('releases the key when the request was refused before its handler ran, so the corrected one runs', async () => {
    const ws = await t.workspace();
    const post = (body: object) =>
      t.http().post('/v1/members').set(bearer(ws.apiKey)).set('Idempotency-Key', 'retry').send(body);
    const body = { email: 'fixed@contoso.com', displayName: 'Fixed', role: 'member' };
    expectProblem(await post({ ...body, role: 'owner' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post({ ...body, extra: true }), 400, 'VALIDATION_FAILED');
    const fixed = await post(body);
    expect(fixed.status).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    // A path id that is not a UUID is refused by a pipe too: nothing decided, nothing stored.
    const notUuid = await t
      .http()
      .post('/v1/workspaces/nope/api-keys')
      .set(operator)
      .set('Idempotency-Key', 'p');
    expectProblem(notUuid, 404, 'NOT_FOUND');
    const rows = await t.db.orm.em
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from idempotency_keys where key in ('p', 'retry') and response_status >= 400`,
      );
    expect(rows[0]!.n).toBe(0);
  });

  it('works for operator creates too: a retried workspace creation makes one workspace', async () => {
    const body = { name: 'Once', returnUrl: 'https://once.test/r' };
    const first = await t
      .http()
      .post('/v1/workspaces')
      .set(operator)
      .set('Idempotency-Key', 'ws-1')
      .send(body);
    const second = await t
      .http()
      .post('/v1/workspaces')
      .set(operator)
      .set('Idempotency-Key', 'ws-1')
      .send(body);
    expect(second.body).toEqual(first.body);
    expect(second.body.apiKey).toMatch(/^kly_/);
    const rows = await t.db.orm.em
      .getConnection()
      .execute<{ n: number }[]>(`select count(*)::int as n from workspaces where name = 'Once'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('purges records past their 24 hours and spent OAuth states on the scheduled job', async () => {
    const ws = await t.workspace();
    const sql = (q: string, params: unknown[] = []) => t.db.orm.em.getConnection().execute(q, params);
    await sql(
      `insert into idempotency_keys (scope, key, fingerprint, state, created_at)
       values ('old', 'k', 'f', 'running', now() - interval '25 hours'), ('young', 'k', 'f', 'running', now())`,
    );
    await sql(
      `insert into authorization_states (id, purpose, workspace_id, return_url, code_verifier, created_at, expires_at)
       values ('expired-state', 'admin_consent', ?, 'https://r.test', 'pkce', now() - interval '2 hours', now() - interval '1 hour'),
              ('live-state', 'admin_consent', ?, 'https://r.test', 'pkce', now(), now() + interval '1 hour')`,
      [ws.id, ws.id],
    );
    const report = await t.app.get(BookingJobs).purgeOnce();
    expect(report.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(report.authorizationStates).toBeGreaterThanOrEqual(1);
    const keys = (await sql(`select scope from idempotency_keys where scope in ('old', 'young')`)) as {
      scope: string;
    }[];
    expect(keys.map((k) => k.scope)).toEqual(['young']);
    const states = (await sql(`select id from authorization_states where workspace_id = ?`, [ws.id])) as {
      id: string;
    }[];
    expect(states.map((r) => r.id)).toEqual(['live-state']);
  });

  it('keeps stored responses sealed: no API key or signing secret in the table, and the replay still has them', async () => {
    const ws = await t.workspace();
    const issue = () =>
      t.http().post(`/v1/workspaces/${ws.id}/api-keys`).set(operator).set('Idempotency-Key', 'sealed-key');
    const issued = await issue();
    expect(issued.status).toBe(201);
    const hook = () =>
      t
        .http()
        .post('/v1/webhook-endpoints')
        .set(bearer(ws.apiKey))
        .set('Idempotency-Key', 'sealed-hook')
        .send({ url: 'https://hooks.example.com/in', events: ['*'] });
    const created = await hook();
    expect(created.status).toBe(201);
    const secrets = [issued.body.apiKey as string, created.body.secret as string];
    expect(secrets[0]).toMatch(/^kly_/);
    const rows = await t.db.orm.em
      .getConnection()
      .execute<{ dump: string }[]>(`select row_to_json(k)::text as dump from idempotency_keys k`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const table = rows.map((r: { dump: string }) => r.dump).join('\n');
    const hex = (v: string) => Buffer.from(v, 'utf8').toString('hex');
    for (const secret of secrets) {
      expect(table).not.toContain(secret);
      expect(table).not.toContain(hex(secret));
    }
    expect(table).not.toContain('kly_');
    expect(table).not.toContain(hex('kly_'));
    expect(table).not.toContain('whsec_');
    const replayed = await issue();
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.status).toBe(201);
    expect(replayed.body).toEqual(issued.body);
    expect((await hook()).body).toEqual(created.body);
  });
});
