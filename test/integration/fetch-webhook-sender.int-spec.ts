// The fetch sender against a real local HTTP server: what counts as delivered, what is recorded when it is
// not, and that a slow receiver is cut off at the timeout.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchWebhookSender } from '@adapters/webhooks/fetch-webhook.sender.js';
import { verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';

type Handler = (res: ServerResponse) => void;
let handler: Handler = (res) => res.writeHead(200).end();
const seen: { method?: string; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    handler(res);
  });
});
let url: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const signedAt = new Date('2026-12-01T08:00:00Z');
/** The receiver listens on 127.0.0.1: private networks allowed, as in tests and the sandbox. */
const sender = () => new FetchWebhookSender({ allowPrivateNetworks: true });
const request = (overrides: Partial<{ url: string }> = {}) => ({
  url,
  secret: 'whsec_abc',
  eventId: 'evt-1',
  eventType: 'booking.created',
  body: '{"id":"evt-1","type":"booking.created","createdAt":"2026-12-01T08:00:00.000Z","data":{}}',
  signedAt,
  ...overrides,
});

describe('FetchWebhookSender', () => {
  it('POSTs the body as JSON with the signature and event headers; any 2xx is delivered', async () => {
    handler = (res) => res.writeHead(204).end();
    expect(await sender().send(request())).toEqual({ ok: true, status: 204 });
    const got = seen.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.body).toBe(request().body);
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'kailenty-event-id': 'evt-1',
      'kailenty-event-type': 'booking.created',
    });
    expect(
      verifyKailentySignature(
        'whsec_abc',
        got.headers['kailenty-signature'] as string,
        got.body,
        300,
        signedAt,
      ),
    ).toBe(true);
  });

  it('records a non-2xx with the start of what the receiver said, and does not follow redirects', async () => {
    handler = (res) => res.writeHead(500).end(`  internal\n  error ${'x'.repeat(10_000)}`);
    const failed = await sender().send(request());
    expect(failed).toMatchObject({ ok: false, status: 500 });
    expect(failed.ok ? '' : failed.error).toMatch(/^HTTP 500: internal error x+$/);
    expect((failed.ok ? '' : failed.error).length).toBeLessThan(300);
    handler = (res) => res.writeHead(302, { location: 'https://elsewhere.example.com/' }).end();
    expect(await sender().send(request())).toMatchObject({ ok: false, status: 302 });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    handler = () => undefined;
    const started = Date.now();
    const outcome = await new FetchWebhookSender({ allowPrivateNetworks: true, timeoutMs: 300 }).send(
      request(),
    );
    expect(outcome).toEqual({ ok: false, status: null, error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('records a receiver that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await sender().send(request({ url: `http://127.0.0.1:${port}/hook` }));
    expect(outcome).toMatchObject({ ok: false, status: null });
    expect(outcome.ok ? '' : outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('refuses loopback, private and link-local targets when private networks are not allowed', async () => {
    const closed = new FetchWebhookSender({ allowPrivateNetworks: false });
    const before = seen.length;
    const port = new URL(url).port;
    // A name is resolved and its addresses checked before connecting.
    const byName = await closed.send(request({ url: `http://localhost:${port}/hook` }));
    expect(byName).toMatchObject({ ok: false, status: null });
    expect(byName.ok ? '' : byName.error).toMatch(
      /^refused: localhost is resolved to (127\.0\.0\.1|::1), a loopback, private, link-local or unique-local address/,
    );
    // An address literal is refused without a connection.
    for (const target of [
      url,
      'https://169.254.169.254/latest',
      'https://[fd00::1]/x',
      'https://10.1.2.3/x',
    ]) {
      const outcome = await closed.send(request({ url: target }));
      expect(outcome).toMatchObject({ ok: false, status: null });
      expect(outcome.ok ? '' : outcome.error).toMatch(/^refused: .* is a loopback, private/);
    }
    expect(seen.length).toBe(before);
    // The same receiver, allowed: delivered.
    handler = (res) => res.writeHead(200).end();
    expect(await sender().send(request({ url: `http://localhost:${port}/hook` }))).toEqual({
      ok: true,
      status: 200,
    });
  });
});
