// GET /metrics (Prometheus text, route patterns never raw URLs, the database queues measured on scrape,
// METRICS_TOKEN when set) and the probes: /health/live always, /health/ready only with the database up and
// every migration of this build applied.
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ metricsToken: METRICS_TOKEN });
});
afterAll(async () => t?.close());

const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const scrape = () => t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);

describe('/metrics', () => {
  it('asks for METRICS_TOKEN when it is set', async () => {
    const none = await t.http().get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    expect(
      (await t.http().get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status,
    ).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('times requests by route pattern and status, never by raw URL', async () => {
    const ws = await t.workspace();
    const id = randomUUID();
    await t.http().get(`/v1/members/${id}`).set('Authorization', `Bearer ${ws.apiKey}`).expect(404);
    await t.http().get(`/nowhere/${id}`).expect(404);
    const text = (await scrape()).text;
    expect(text).toMatch(
      /^kailenty_http_request_duration_seconds_count\{method="GET",route="\/v1\/members\/:id",status="404"\} 1$/m,
    );
    expect(text).toMatch(
      /^kailenty_http_request_duration_seconds_count\{method="POST",route="\/v1\/workspaces",status="201"\} \d+$/m,
    );
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).not.toContain(id);
  });

  it('measures the depth and oldest age of the database queues when scraped', async () => {
    const depth = (text: string, queue: string) =>
      Number(new RegExp(`^kailenty_queue_depth\\{queue="${queue}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    const age = (text: string, queue: string) =>
      Number(
        new RegExp(`^kailenty_queue_oldest_age_seconds\\{queue="${queue}"\\} (\\S+)$`, 'm').exec(text)?.[1],
      );
    const before = (await scrape()).text;
    for (const queue of ['calendar_outbox', 'event_outbox', 'notification_inbox', 'webhook_deliveries'])
      expect(depth(before, queue)).toBe(0);
    // Two Graph notifications received 90 s ago, not processed yet (the worker is off in tests).
    for (const n of [1, 2])
      await sql(
        `insert into graph_notification_inbox (dedupe_key, kind, subscription_id, payload, received_at, due_at)
         values (?, 'change', 'sub-1', '{}', now() - interval '90 seconds', now())`,
        [`n:${n}`],
      );
    const after = (await scrape()).text;
    expect(depth(after, 'notification_inbox')).toBe(2);
    expect(age(after, 'notification_inbox')).toBeGreaterThanOrEqual(90);
    expect(age(after, 'notification_inbox')).toBeLessThan(120);
    expect(age(after, 'webhook_deliveries')).toBe(0);
  });

  it('is open, like /health, when METRICS_TOKEN is not set', async () => {
    const open = await startTestApp({}, t.db);
    try {
      expect((await open.http().get('/metrics')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('probes', () => {
  it('/health is a 503 "down" when its census query fails', async () => {
    expect((await t.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', database: 'up' });
    // The encryption census is the probe: a database that cannot answer it is reported down.
    await sql('alter table microsoft_token_caches rename to microsoft_token_caches_away');
    try {
      const res = await t.http().get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'error', database: 'down' });
    } finally {
      await sql('alter table microsoft_token_caches_away rename to microsoft_token_caches');
    }
    expect((await t.http().get('/health')).status).toBe(200);
  });

  it('/health/live answers while the process serves', async () => {
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('/health/ready is 200 with every migration applied, and a 503 problem naming those that are not', async () => {
    expect((await t.http().get('/health/ready').expect(200)).body).toEqual({
      status: 'ready',
      database: 'up',
      migrations: 'applied',
    });
    const [last] = await sql<{ id: number; name: string; executed_at: Date }>(
      'select * from mikro_orm_migrations order by id desc limit 1',
    );
    await sql('delete from mikro_orm_migrations where id = ?', [last!.id]);
    try {
      const res = await t.http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 503,
        code: 'NOT_READY',
        detail: `Migrations not applied yet: ${last!.name}.`,
        instance: '/health/ready',
      });
      // The contract's /health only speaks of the database, which answers.
      expect((await t.http().get('/health')).status).toBe(200);
    } finally {
      await sql('insert into mikro_orm_migrations (id, name, executed_at) values (?, ?, ?)', [
        last!.id,
        last!.name,
        last!.executed_at,
      ]);
    }
    expect((await t.http().get('/health/ready')).status).toBe(200);
  });
});
