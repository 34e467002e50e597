// The fetch sender against a real local HTTP server: what counts as delivered, what is recorded when it is
// not, that a slow receiver is cut off at the timeout, and that a private target is refused without the
// delivery log learning where the name pointed.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FetchWebhookSender,
  PRIVATE_TARGET_ERROR,
  WEBHOOK_TIMEOUT_MS,
  type ResolveAll,
} from '@adapters/webhooks/fetch-webhook.sender.js';
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
  endpointId: 'endpoint-1',
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
    // Cut at its own 300 ms, not the default 10 s: the bound leaves a loaded machine seconds to spare.
    expect(Date.now() - started).toBeLessThan(WEBHOOK_TIMEOUT_MS / 2);
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
    const warnings: string[] = [];
    const closed = new FetchWebhookSender({
      allowPrivateNetworks: false,
      logger: { warn: (message: unknown) => void warnings.push(String(message)) },
    });
    const before = seen.length;
    const port = new URL(url).port;
    // A name is resolved and its addresses checked before connecting; the outcome does not say where it
    // pointed, the log does.
    const byName = await closed.send(request({ url: `http://localhost:${port}/hook` }));
    expect(byName).toEqual({ ok: false, status: null, error: PRIVATE_TARGET_ERROR });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^webhook endpoint endpoint-1: refused localhost, resolved to (127\.0\.0\.1|::1), a loopback, private/,
      ),
    ]);
    // An address literal, in any spelling, is refused without a connection.
    for (const target of [
      url,
      url.replace('127.0.0.1', '2130706433'),
      url.replace('127.0.0.1', '0x7f.1'),
      url.replace('127.0.0.1', '[::ffff:7f00:1]'),
      'https://169.254.169.254/latest',
      'https://[fd00::1]/x',
      'https://10.1.2.3/x',
      'https://[64:ff9b:1::7f00:1]/x',
      'https://[2002:7f00:1::1]/x',
      'https://[::ffff:0:7f00:1]/x',
    ]) {
      expect(await closed.send(request({ url: target }))).toEqual({
        ok: false,
        status: null,
        error: PRIVATE_TARGET_ERROR,
      });
      expect(warnings.at(-1)).toMatch(/^webhook endpoint endpoint-1: refused [^ ]+, a loopback, private/);
    }
    expect(seen.length).toBe(before);
    // The same receiver, allowed: delivered.
    handler = (res) => res.writeHead(200).end();
    expect(await sender().send(request({ url: `http://localhost:${port}/hook` }))).toEqual({
      ok: true,
      status: 200,
    });
  });

  it('refuses a name when any address it resolves to embeds or maps to a private IPv4 address', async () => {
    // What a resolver may answer for a name (AAAA records included): a fixed table stands for DNS here,
    // with the address each refusal names in the log.
    const answers: Record<string, { addresses: string[]; refused: string }> = {
      'mapped.test': { addresses: ['::ffff:127.0.0.1'], refused: '::ffff:127.0.0.1' },
      'nat64.test': { addresses: ['8.8.8.8', '64:ff9b::a9fe:a9fe'], refused: '64:ff9b::a9fe:a9fe' },
      'six-to-four.test': { addresses: ['2002:a00:1::1'], refused: '2002:a00:1::1' },
      'teredo.test': { addresses: ['2001:0:808:808::80ff:fffe'], refused: '2001:0:808:808::80ff:fffe' },
    };
    const resolve: ResolveAll = (host, _options, callback) =>
      callback(
        null,
        (answers[host]?.addresses ?? []).map((address) => ({
          address,
          family: address.includes(':') ? 6 : 4,
        })),
      );
    const warnings: string[] = [];
    const closed = new FetchWebhookSender({
      allowPrivateNetworks: false,
      resolve,
      logger: { warn: (message: unknown) => void warnings.push(String(message)) },
    });
    for (const [host, { refused }] of Object.entries(answers)) {
      const outcome = await closed.send(request({ url: `https://${host}/hook` }));
      expect(outcome).toEqual({ ok: false, status: null, error: PRIVATE_TARGET_ERROR });
      expect(warnings.at(-1)).toContain(`refused ${host}, resolved to ${refused}, a loopback, private`);
    }
  });
});
