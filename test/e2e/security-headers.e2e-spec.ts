// Security headers and caching over real HTTP: every kind of answer (JSON, the Graph handshake's text, problems,
// 404s, and the errors Node and Fastify answer before Nest) is nosniff, unframeable, referrer-free, under a
// CSP that allows nothing, and not stored by caches; HSTS only behind https; a route can opt in to framing.
import { connect, type AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { frameableBy } from '@adapters/http/security-headers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';

const STRICT_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";

/** Routes only this test has, to show how a route's config changes its headers. */
function addProbeRoutes(app: NestFastifyApplication) {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/frameable-probe', { config: frameableBy(['https://app.contoso.com']) }, async () => ({}));
  // Swagger UI is not served in tests (Jest cannot load its static-file plugin): a page under /docs stands
  // for it, to show that the docs' policy reaches whatever @nestjs/swagger registers there.
  fastify.get('/docs/probe', async (_request, reply) => reply.type('text/html').send('<p>docs</p>'));
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, undefined, { beforeInit: addProbeRoutes });
});
afterAll(async () => {
  await t.close();
});

const operator = { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

type Headers = Record<string, string | undefined>;

function expectLockedDown(headers: Headers) {
  expect(headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'content-security-policy': STRICT_CSP,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
}

function expectProblem(
  res: { status: number; headers: Headers; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
  expectLockedDown(res.headers);
}

/** Sends bytes as they are and reads the whole answer, for requests no HTTP client would write. */
function rawExchange(
  bytes: string,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) });
    });
  });
}

describe('every answer', () => {
  it('JSON, public or authenticated', async () => {
    const ws = await t.workspace();
    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    expectLockedDown(health.headers);
    const members = await t.http().get('/v1/members').set(bearer(ws.apiKey));
    expect(members.status).toBe(200);
    expectLockedDown(members.headers);
    const docs = await t.http().get('/docs-json');
    expect(docs.status).toBe(200);
    expectLockedDown(docs.headers);
  });

  it("the Graph handshake's text/plain echo of the validation token", async () => {
    const res = await t
      .http()
      .post('/webhooks/microsoft/notifications?validationToken=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('<script>alert(1)</script>');
    expectLockedDown(res.headers);
  });

  it('problems decided by kailenty, and 404s', async () => {
    expectProblem(await t.http().get('/v1/members'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().get('/v1/nothing-here'), 404, 'NOT_FOUND');
    expectProblem(await t.http().get('/nothing-at-all'), 404, 'NOT_FOUND');
  });

  it('no Strict-Transport-Security while PUBLIC_URL is http (browsers ignore it there)', async () => {
    expect((await t.http().get('/health')).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('errors answered before a request reaches kailenty', () => {
  it('malformed JSON (400), a body too large (413), an unsupported media type (415)', async () => {
    const ws = await t.workspace();
    const post = () => t.http().post('/v1/members').set(bearer(ws.apiKey));
    expectProblem(
      await post().set('content-type', 'application/json').send('{"email":'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post()
        .set('content-type', 'application/json')
        .send(JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectProblem(
      await post().set('content-type', 'application/xml').send('<member/>'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('headers larger than Node accepts (431), answered by Node on the socket', async () => {
    const res = await t.http().get('/health').set('x-padding', 'a'.repeat(20_000));
    expectProblem(res, 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE');
  });

  it('a request that is not HTTP (400), answered by Node on the socket', async () => {
    const res = await rawExchange('GET /health HTTP/1.1\r\nHost none\r\n\r\n');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toBe('The request is not valid HTTP.');
  });

  it("a URL that does not decode (400) and a path parameter over the router's limit (414)", async () => {
    const ws = await t.workspace();
    const badUrl = await rawExchange(
      'GET /v1/members/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expectProblem(badUrl, 400, 'VALIDATION_FAILED');
    expectProblem(
      await t
        .http()
        .get(`/v1/members/${'a'.repeat(200)}`)
        .set(bearer(ws.apiKey)),
      414,
      'URI_TOO_LONG',
    );
  });
});

describe('Cache-Control: no-store', () => {
  it('on answers that carry a secret, replays included', async () => {
    const created = await t.http().post('/v1/workspaces').set(operator).set('Idempotency-Key', 'ws-1').send({
      name: 'Secretive',
      returnUrl: 'https://product.example.com/return',
    });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^kly_/);
    expect(created.headers['cache-control']).toBe('no-store');
    const replay = await t.http().post('/v1/workspaces').set(operator).set('Idempotency-Key', 'ws-1').send({
      name: 'Secretive',
      returnUrl: 'https://product.example.com/return',
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['cache-control']).toBe('no-store');

    const key = await t.http().post(`/v1/workspaces/${created.body.id}/api-keys`).set(operator);
    expect(key.status).toBe(201);
    expect(key.headers['cache-control']).toBe('no-store');

    const endpoint = await t
      .http()
      .post('/v1/webhook-endpoints')
      .set(bearer(created.body.apiKey))
      .send({ url: 'https://hooks.example.com/kailenty', events: ['*'] });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    expect(endpoint.headers['cache-control']).toBe('no-store');
  });
});

describe('per-route policy', () => {
  it('lets a route opt in to being framed by named origins', async () => {
    const res = await t.http().get('/frameable-probe');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors https://app.contoso.com",
    );
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it("gives pages under /docs Swagger UI's policy, and lets caches keep them", async () => {
    const res = await t.http().get('/docs/probe');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;" +
        "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBeUndefined();
  });
});

describe('behind https', () => {
  it('sends Strict-Transport-Security when PUBLIC_URL is https', async () => {
    const secure = await startTestApp({ publicUrl: 'https://kailenty.example.com' }, t.db);
    try {
      const res = await secure.http().get('/health');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expectLockedDown(res.headers);
    } finally {
      await secure.close();
    }
  });
});
