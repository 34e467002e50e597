// Slow clients over raw sockets: a connection that trickles its headers, trickles its body or says nothing
// is cut within the configured timeouts with a 408 problem (fifty of them at once as easily as one); a
// handler that takes long to answer is not cut; an idle keep-alive connection is closed.
import { connect, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp, type TestApp } from '../support/test-app.js';

const LIMITS = { headersTimeoutMs: 600, requestTimeoutMs: 1200, keepAliveTimeoutMs: 300 };
/** How late a cut may come on a loaded machine: Node checks every 60 ms here (every 30 s by default). */
const MARGIN_MS = 2000;
const SLOW_ANSWER_MS = LIMITS.requestTimeoutMs + 500;

/** A route only this test has: it answers after the request timeout has passed. */
function addSlowRoute(app: NestFastifyApplication) {
  app
    .getHttpAdapter()
    .getInstance()
    .get('/slow-probe', async () => {
      await new Promise((resolve) => setTimeout(resolve, SLOW_ANSWER_MS));
      return { answered: true };
    });
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ http: LIMITS }, undefined, { beforeInit: addSlowRoute });
});
afterAll(async () => {
  await t.close();
});

interface Ended {
  /** Milliseconds from the connection to its end. */
  afterMs: number;
  /** Milliseconds from the last byte the server sent to the end. */
  idleMs: number;
  /** Everything the server sent. */
  answer: string;
}

/** Opens a connection, writes `first`, then one byte of `drip` every 100 ms until the server hangs up. */
function session(first: string, drip = ''): Promise<Ended> {
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  // The monotonic clock, as Node's own timeout check uses: a wall clock step would move `afterMs`.
  const started = performance.now();
  let lastAnswerAt = started;
  let answer = '';
  const socket = connect(port, '127.0.0.1', () => socket.write(first));
  const dripping = drip
    ? setInterval(() => {
        if (socket.writable) socket.write(drip);
      }, 100)
    : undefined;
  socket.on('data', (chunk) => {
    lastAnswerAt = performance.now();
    answer += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.on('close', () => {
      clearInterval(dripping);
      const now = performance.now();
      resolve({ afterMs: now - started, idleMs: now - lastAnswerAt, answer });
    }),
  );
}

function expectRequestTimeout(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(head).toMatch(/\r\ncontent-type: application\/problem\+json; charset=utf-8\r\n/);
  expect(head).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
  expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
}

describe('slow clients', () => {
  it('cuts fifty connections that trickle their headers, at the headers timeout', async () => {
    const sessions = Array.from({ length: 50 }, () =>
      session('GET /health HTTP/1.1\r\nHost: kailenty\r\nX-Slow: ', 'a'),
    );
    for (const { afterMs, answer } of await Promise.all(sessions)) {
      // The answer first: a connection ended for another reason says which.
      expectRequestTimeout(answer);
      expect(afterMs).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
      expect(afterMs).toBeLessThan(LIMITS.headersTimeoutMs + MARGIN_MS);
    }
  });

  it('cuts a connection that says nothing, at the headers timeout', async () => {
    const { afterMs, answer } = await session('');
    expect(afterMs).toBeLessThan(LIMITS.headersTimeoutMs + MARGIN_MS);
    expectRequestTimeout(answer);
  });

  it('cuts a connection that sends its headers and trickles its body, at the request timeout', async () => {
    const { afterMs, answer } = await session(
      'POST /webhooks/microsoft/notifications HTTP/1.1\r\nHost: kailenty\r\n' +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"value":[',
      ' ',
    );
    expectRequestTimeout(answer);
    expect(afterMs).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
    expect(afterMs).toBeLessThan(LIMITS.requestTimeoutMs + MARGIN_MS);
  });

  it('lets a handler take longer than the request timeout to answer', async () => {
    const res = await t.http().get('/slow-probe');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ answered: true });
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { idleMs, answer } = await session('GET /health HTTP/1.1\r\nHost: kailenty\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nConnection: keep-alive\r\n/i);
    // Closed quietly: waiting for a next request is not a slow request (no second answer, a 408's status
    // line; not any "408", which a random x-request-id may hold).
    expect(answer).not.toMatch(/HTTP\/1\.1 408/);
    // Node keeps the socket up to a second past the advertised timeout, so that it never closes a
    // connection a client still believes open.
    expect(idleMs).toBeGreaterThanOrEqual(LIMITS.keepAliveTimeoutMs - 50);
    expect(idleMs).toBeLessThan(LIMITS.keepAliveTimeoutMs + 1000 + MARGIN_MS);
  });
});
