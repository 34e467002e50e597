// What graph-client, MSAL and our adapters rely on from the trusted fetch, against a plain HTTPS server on
// loopback with a throw-away CA: answers as fetch gives them (status, repeated headers, bodies, 204, HEAD,
// gzip), a 3xx handed back when `redirect: 'manual'`, one kept-alive connection, and fetch's failures
// (`TypeError('fetch failed')` with the socket's code, the signal's reason on abort, untrusted certificates).
import { createServer as createNetServer } from 'node:net';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Agent, fetch as undiciFetch } from 'undici';
import { generateTlsMaterial, type TlsMaterial } from '../../emulator/tls.js';
import { createTrustedFetch, type TrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';

let tls: TlsMaterial;
let server: Server;
let base: string;
let fetch: TrustedFetch;
let connections = 0;

const routes: Record<string, (req: IncomingMessage, body: Buffer, res: ServerResponse) => void> = {
  '/echo': (req, body, res) => {
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
    res.setHeader('www-authenticate', ['Bearer realm="one"', 'Bearer claims="two"']);
    res.writeHead(201, 'Made It', { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('hex') }),
    );
  },
  '/empty': (_req, _body, res) => res.writeHead(204).end(),
  '/moved': (_req, _body, res) => res.writeHead(302, { location: '/echo?moved=1' }).end('see /echo'),
  '/gzip': (_req, _body, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(gzipSync('{"zipped":true}')),
  '/hang': () => undefined,
};

beforeAll(async () => {
  tls = await generateTlsMaterial();
  server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => routes[new URL(req.url!, 'https://x').pathname]!(req, Buffer.concat(chunks), res));
  });
  server.on('secureConnection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  fetch = createTrustedFetch({ extraCaPem: tls.ca });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe('answers', () => {
  it('gives status, statusText, ok, url, the JSON body and repeated headers joined as fetch joins them', async () => {
    const res = await fetch(`${base}/echo?q=1`);
    expect([res.status, res.statusText, res.ok, res.url]).toEqual([201, 'Made It', true, `${base}/echo?q=1`]);
    expect(res.headers.get('content-type')).toBe('application/json');
    const oracle = await undiciFetch(`${base}/echo`, {
      dispatcher: new Agent({ connect: { ca: tls.ca } }),
    });
    for (const name of ['www-authenticate', 'set-cookie'])
      expect(res.headers.get(name)).toBe(oracle.headers.get(name));
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="one", Bearer claims="two"');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({ method: 'GET', url: '/echo?q=1', body: '' });
  });

  it('reads the same body as text, bytes, a blob and a clone', async () => {
    const res = await fetch(`${base}/echo`);
    const text = await res.clone().text();
    expect(JSON.parse(text)).toMatchObject({ method: 'GET' });
    expect(await (await fetch(`${base}/echo`)).blob().then((b) => b.text())).toBe(text);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe(text);
  });

  it('sends the method, headers of every shape and bodies as strings, bytes or an ArrayBuffer', async () => {
    const send = async (init: RequestInit) => (await (await fetch(`${base}/echo`, init)).json()) as Echo;
    const json = await send({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(json).toMatchObject({ method: 'POST', body: Buffer.from('{"a":1}').toString('hex') });
    expect(json.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': '7' });
    // fetch's default type for a string, and MSAL's POST of an empty body.
    const text = await send({ method: 'POST', body: '' });
    expect(text.headers).toMatchObject({ 'content-type': 'text/plain;charset=UTF-8', 'content-length': '0' });
    const bytes = await send({
      method: 'PATCH',
      headers: new Headers({ 'x-one': '1' }),
      body: new Uint8Array([1, 2]),
    });
    expect(bytes).toMatchObject({ method: 'PATCH', body: '0102', headers: { 'x-one': '1' } });
    const buffer = await send({
      method: 'PUT',
      headers: [
        ['X-Two', '2'],
        ['x-two', '3'],
      ],
      body: new ArrayBuffer(2),
    });
    expect(buffer).toMatchObject({ method: 'PUT', body: '0000', headers: { 'x-two': '2, 3' } });
    const form = await send({ method: 'POST', body: new URLSearchParams({ grant_type: 'x y' }) });
    expect(Buffer.from(form.body, 'hex').toString()).toBe('grant_type=x+y');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it('has no body for a 204 or a HEAD', async () => {
    const empty = await fetch(`${base}/empty`, { method: 'DELETE' });
    expect([empty.status, empty.ok, empty.body]).toEqual([204, true, null]);
    const head = await fetch(`${base}/echo`, { method: 'HEAD' });
    expect([head.status, head.body, head.headers.get('content-type')]).toEqual([
      201,
      null,
      'application/json',
    ]);
  });

  it("asks for compression and decodes a gzip answer, and names itself as Node's fetch does", async () => {
    const res = await fetch(`${base}/gzip`);
    expect(await res.json()).toEqual({ zipped: true });
    const echo = (await (await fetch(`${base}/echo`)).json()) as Echo;
    expect(echo.headers).toMatchObject({ 'accept-encoding': 'br, gzip, deflate', 'user-agent': 'node' });
  });

  it("hands a 3xx back with its Location under redirect: 'manual' (graph-client follows itself)", async () => {
    const res = await fetch(`${base}/moved`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location'), await res.text()]).toEqual([
      302,
      '/echo?moved=1',
      'see /echo',
    ]);
    // Otherwise it follows, as fetch's default does for MSAL's calls.
    expect(((await (await fetch(`${base}/moved`)).json()) as Echo).url).toBe('/echo?moved=1');
  });

  it('keeps its connections alive across requests', async () => {
    const own = createTrustedFetch({ extraCaPem: tls.ca });
    const before = connections;
    for (let i = 0; i < 10; i += 1) await (await own(`${base}/echo`)).text();
    // undici opens a second connection for the request sent while the first is still finishing its
    // answer (its fetch does the same), then alternates between the two.
    expect(connections - before).toBeLessThanOrEqual(2);
  });
});

describe('failures', () => {
  it("rejects a refused connection with fetch's TypeError and the socket's code", async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const error = (await fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e)) as TypeError;
    // By name, not instanceof, as callers read it (an error made outside Jest's realm fails instanceof).
    expect(error).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it("rejects with the signal's reason: TimeoutError for AbortSignal.timeout, AbortError for abort()", async () => {
    const timedOut = (await fetch(`${base}/hang`, { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(timedOut.name).toBe('TimeoutError');
    const controller = new AbortController();
    const pending = fetch(`${base}/hang`, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    expect(((await pending) as Error).name).toBe('AbortError');
    const early = (await fetch(`${base}/echo`, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(early.name).toBe('AbortError');
  });

  it('refuses a certificate from a CA it was not given, and from any CA without one', async () => {
    const other = await generateTlsMaterial();
    for (const untrusting of [createTrustedFetch({ extraCaPem: other.ca }), createTrustedFetch()]) {
      const error = (await untrusting(`${base}/echo`).catch((e: unknown) => e)) as TypeError;
      expect(error).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
      expect((error.cause as { code?: string }).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
    }
  });
});
