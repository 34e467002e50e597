// Rate limits over real HTTP, with limits set low through the configuration: per API key on /v1 and /mcp (another
// key keeps its own budget), per client address on what needs no key, never on Graph's notification
// endpoints nor /health; booking pages' holds in a smaller window of their own; a refusal is a 429 RATE_LIMITED problem with Retry-After and RateLimit-* headers.
// On PostgreSQL the counters live in the database (rate_limit_counters), on PGlite in the process.
// Client addresses come from X-Forwarded-For (the service trusts its proxy), one per test.
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';

const API_LIMIT = 5;
const PUBLIC_LIMIT = 3;
const PAGE_HOLDS_LIMIT = 2;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    rateLimit: {
      enabled: true,
      apiPerMinute: API_LIMIT,
      publicPerMinute: PUBLIC_LIMIT,
      pageHoldsPerMinute: PAGE_HOLDS_LIMIT,
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const operator = bearer(TEST_OPERATOR_TOKEN);
const from = (address: string) => ({ 'X-Forwarded-For': address });

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown> };

function expectRateLimited(res: Res, limit: number, who: RegExp) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: 'https://docs.kailenty.dev/problems/rate-limited',
    title: 'Too Many Requests',
    status: 429,
    code: 'RATE_LIMITED',
    detail: expect.stringMatching(new RegExp(`at most ${limit} a minute\\. Try again in \\d+ seconds?\\.$`)),
  });
  expect(res.body.detail).toMatch(who);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBe(retryAfter);
}

describe('per API key on /v1', () => {
  it('answers 429 RATE_LIMITED once a key has used its minute; another key, and the operator, are not affected', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    for (let i = 1; i <= API_LIMIT; i++) {
      const res = await t.http().get('/v1/members').set(bearer(a.apiKey));
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe(String(API_LIMIT));
      expect(res.headers['ratelimit-remaining']).toBe(String(API_LIMIT - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    const refused = await t.http().get('/v1/members').set(bearer(a.apiKey));
    expectRateLimited(refused, API_LIMIT, /^Too many requests with this credential/);
    expect(refused.body.instance).toBe('/v1/members');
    // Refused before anything runs: a write is not made.
    const write = await t
      .http()
      .post('/v1/members')
      .set(bearer(a.apiKey))
      .send({ email: 'late@example.com', displayName: 'Late', role: 'member' });
    expect(write.status).toBe(429);

    const other = await t.http().get('/v1/members').set(bearer(b.apiKey));
    expect(other.status).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe(String(API_LIMIT - 1));
    expect((other.body as { data: unknown[] }).data).toEqual([]);

    // The operator token is a credential with its own budget (two workspaces made above, this is the third).
    const issued = await t.http().post(`/v1/workspaces/${a.id}/api-keys`).set(operator);
    expect(issued.status).toBe(201);
    expect(issued.headers['ratelimit-remaining']).toBe(String(API_LIMIT - 3));
    // A new key of the same workspace is a new credential: the limit is per key.
    const fresh = await t
      .http()
      .get('/v1/members')
      .set(bearer(issued.body.apiKey as string));
    expect(fresh.status).toBe(200);
    expect((fresh.body as { data: unknown[] }).data).toEqual([]);
  });

  it('counts a request without a key by its address, like the public routes', async () => {
    for (let i = 0; i < PUBLIC_LIMIT; i++) {
      const res = await t.http().get('/v1/members').set(from('198.51.100.1'));
      expect(res.status).toBe(401);
      expect(res.headers['ratelimit-limit']).toBe(String(PUBLIC_LIMIT));
    }
    const refused = await t.http().get('/v1/permissions').set(from('198.51.100.1'));
    expectRateLimited(refused, PUBLIC_LIMIT, /^Too many requests from this address/);
  });
});

describe('holds placed by booking pages', () => {
  it('counts them per address in a smaller window of their own, apart from the rest of the public JSON', async () => {
    const page = `/v1/public/booking-pages/${crypto.randomUUID()}`;
    const hold = () =>
      t
        .http()
        .post(`${page}/holds`)
        .set(from('198.51.100.40'))
        .send({ start: '2026-12-01T09:00:00Z', session: 'session-0123456789' });
    for (let i = 0; i < PAGE_HOLDS_LIMIT; i++) {
      const res = await hold();
      expect(res.status).toBe(404);
      expect(res.headers['ratelimit-limit']).toBe(String(PAGE_HOLDS_LIMIT));
    }
    expectRateLimited(await hold(), PAGE_HOLDS_LIMIT, /^Too many requests from this address/);
    // The address keeps its public budget for the page itself, and another address may hold.
    expect((await t.http().get(page).set(from('198.51.100.40'))).status).toBe(404);
    expect(
      (
        await t
          .http()
          .post(`${page}/holds`)
          .set(from('198.51.100.41'))
          .send({ start: '2026-12-01T09:00:00Z', session: 'session-0123456789' })
      ).status,
    ).toBe(404);
  });
});

describe('per API key on /mcp', () => {
  it("counts the agents' endpoint per key, like /v1, before any MCP work", async () => {
    const a = await t.workspace();
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
    const mcp = () =>
      t
        .http()
        .post('/mcp')
        .set(bearer(a.apiKey))
        .set(from('198.51.100.7'))
        .set('Accept', 'application/json, text/event-stream')
        .send(list);
    for (let i = 1; i <= API_LIMIT; i++) {
      const res = await mcp();
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe(String(API_LIMIT));
      expect(res.headers['ratelimit-remaining']).toBe(String(API_LIMIT - i));
    }
    const refused = await mcp();
    expectRateLimited(refused, API_LIMIT, /^Too many requests with this credential/);
    expect(refused.body.instance).toBe('/mcp');
  });
});

describe('per client address on what needs no key', () => {
  it('limits the OAuth callbacks and links per address, across those routes, and not other addresses', async () => {
    for (let i = 0; i < PUBLIC_LIMIT; i++) {
      const res = await t.http().get('/oauth/microsoft/callback?state=x&code=y').set(from('203.0.113.7'));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_STATE');
      expect(res.headers['ratelimit-remaining']).toBe(String(PUBLIC_LIMIT - 1 - i));
    }
    expectRateLimited(
      await t.http().get('/oauth/microsoft/callback?state=x&code=y').set(from('203.0.113.7')),
      PUBLIC_LIMIT,
      /^Too many requests from this address/,
    );
    for (const path of [
      '/oauth/microsoft/reconnect?link=x',
      '/oauth/microsoft/admin-consent/start?link=x',
      '/oauth/microsoft/admin-consent/callback?state=x',
      '/docs-json',
    ]) {
      expect((await t.http().get(path).set(from('203.0.113.7'))).status).toBe(429);
    }
    const other = await t.http().get('/oauth/microsoft/callback?state=x&code=y').set(from('203.0.113.8'));
    expect(other.status).toBe(400);
    expect(other.headers['ratelimit-remaining']).toBe(String(PUBLIC_LIMIT - 1));
  });

  it('counts an IPv6 client per /64', async () => {
    for (let i = 0; i < PUBLIC_LIMIT; i++) {
      const res = await t
        .http()
        .get('/v1/permissions')
        .set(from(`2001:db8:1:2::${i + 1}`));
      expect(res.status).toBe(200);
    }
    expect((await t.http().get('/v1/permissions').set(from('2001:db8:1:2:ffff::9'))).status).toBe(429);
    expect((await t.http().get('/v1/permissions').set(from('2001:db8:1:3::1'))).status).toBe(200);
  });
});

describe('never limited', () => {
  it("keeps answering Graph's notification endpoints and /health, from an address over its limit", async () => {
    const address = from('192.0.2.50');
    for (let i = 0; i <= PUBLIC_LIMIT; i++) await t.http().get('/v1/permissions').set(address);
    expect((await t.http().get('/v1/permissions').set(address)).status).toBe(429);

    for (let i = 0; i < PUBLIC_LIMIT * 4; i++) {
      const token = `validation-${i}`;
      for (const endpoint of ['notifications', 'lifecycle']) {
        const res = await t
          .http()
          .post(`/webhooks/microsoft/${endpoint}?validationToken=${token}`)
          .set(address);
        expect(res.status).toBe(200);
        expect(res.text).toBe(token);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
      const notification = await t
        .http()
        .post('/webhooks/microsoft/notifications')
        .set(address)
        .send({ value: [] });
      expect(notification.status).toBe(202);
      const health = await t.http().get('/health').set(address);
      expect(health.status).toBe(200);
      expect(health.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('where the counters live', () => {
  it('is rate_limit_counters on PostgreSQL, shared by instances, under the hash of the key; the process on PGlite', async () => {
    const ws = await t.workspace();
    await t.http().get('/v1/members').set(bearer(ws.apiKey));
    const rows = (await t.db.orm.em
      .getConnection()
      .execute(`select key from rate_limit_counters where key like 'key:%'`)) as { key: string }[];
    if (t.db.kind === 'postgres') expect(rows.length).toBeGreaterThanOrEqual(2);
    else expect(rows).toEqual([]);
    expect(rows.some((r) => r.key.includes(ws.apiKey))).toBe(false);
  });
});

describe('the purge', () => {
  it('deletes the counters whose window is over', async () => {
    const sql = (q: string) => t.db.orm.em.getConnection().execute(q);
    await sql(
      `insert into rate_limit_counters (key, count, window_ends_at)
       values ('addr:purge-old', 7, now() - interval '1 minute'), ('addr:purge-live', 2, now() + interval '1 minute')`,
    );
    const report = await t.app.get(BookingJobs).purgeOnce();
    expect(report.rateLimitCounters).toBeGreaterThanOrEqual(1);
    const rows = (await sql(`select key from rate_limit_counters where key like 'addr:purge-%'`)) as {
      key: string;
    }[];
    expect(rows.map((r) => r.key)).toEqual(['addr:purge-live']);
  });
});
