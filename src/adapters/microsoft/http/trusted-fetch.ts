// A fetch for Microsoft hosts that trusts what Node trusts (its bundled roots plus NODE_EXTRA_CA_CERTS)
// and CAs handed in explicitly (the emulator's), so tests and sandbox reach an HTTPS stand-in without
// turning verification off, and a standalone emulator works through NODE_EXTRA_CA_CERTS as API.md says.
//
// It sends with undici's dispatcher API (`Agent#request`) and makes a standard Response of the body read
// whole, rather than calling undici's WHATWG fetch: Graph's and Entra's answers are small JSON documents, and
// fetch's machinery (Request objects, the fetch algorithm, a web stream per body) cost more CPU than the rest
// of the exchange — 0.36–0.40 ms of the client's CPU per request against 0.16 ms this way (a small JSON POST
// over loopback HTTPS, 8 in flight, server in another process; 2026-12-07). Callers still get a Response and
// fetch's failures (`TypeError('fetch failed', { cause })`, or the signal's reason when aborted), so
// graph-client, MSAL and our own code see no difference. undici's redirect interceptor does fetch's
// following; its decompress interceptor is experimental (an ExperimentalWarning when made) and leaves
// error answers compressed, so the few lines at the bottom decode instead.
import { promisify } from 'node:util';
import { createSecureContext, getCACertificates } from 'node:tls';
import { brotliDecompress, constants, gunzip, inflate } from 'node:zlib';
import { Agent, interceptors, type Dispatcher } from 'undici';

/** A fetch for one URL (string or URL) with the parts of RequestInit Microsoft's clients use. */
export type TrustedFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface TrustedFetchOptions {
  /** Extra CA certificates (PEM) to trust on top of the system roots. */
  extraCaPem?: string | string[];
  /** Connect timeout in milliseconds (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * Returns a fetch bound to its own connection pool (kept alive and reused across calls) that trusts
 * `extraCaPem` besides Node's roots and NODE_EXTRA_CA_CERTS (an explicit `ca` list replaces Node's
 * defaults, so both are listed again). Without extra CAs the pool uses Node's default trust.
 */
export function createTrustedFetch(options: TrustedFetchOptions = {}): TrustedFetch {
  const extra = options.extraCaPem === undefined ? [] : [options.extraCaPem].flat().filter(Boolean);
  // One secure context for every connection: given `ca` instead, each new connection would parse the whole
  // list of roots again (a few ms of CPU each).
  const secureContext =
    extra.length === 0
      ? undefined
      : createSecureContext({
          ca: [...getCACertificates('bundled'), ...getCACertificates('extra'), ...extra],
        });
  const manual = new Agent({ connect: { secureContext, timeout: options.connectTimeoutMs ?? 10_000 } });
  // fetch follows redirects unless told `redirect: 'manual'` (graph-client's RedirectHandler says so and
  // follows itself); MSAL's calls keep fetch's default. Same pool, with undici's redirect handler on top
  // (20 hops, fetch's limit; like fetch it turns POST into GET on 301/302/303 and drops credentials
  // across origins).
  const follow = manual.compose(interceptors.redirect({ maxRedirections: 20 }));
  return (input, init = {}) => send(init.redirect === 'manual' ? manual : follow, input, init);
}

async function send(dispatcher: Dispatcher, input: string | URL, init: RequestInit): Promise<Response> {
  if (init.redirect === 'error') throw new TypeError('trusted fetch: redirect "error" is not supported');
  const url = new URL(input);
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = requestHeaders(init.headers);
  const { signal } = init;
  try {
    const body = await requestBody(init.body, headers);
    headers['accept-encoding'] ??= 'br, gzip, deflate';
    headers['user-agent'] ??= 'node';
    const answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: signal ?? undefined,
    });
    // Read whole even when it is thrown away, so the connection goes back to the pool.
    const bytes = await answer.body.bytes();
    const bodyless = method === 'HEAD' || NULL_BODY_STATUSES.has(answer.statusCode);
    const response = new Response(bodyless ? null : await decode(bytes, answer.headers['content-encoding']), {
      status: answer.statusCode,
      statusText: answer.statusText,
      headers: responseHeaders(answer.headers),
    });
    // As fetch's: graph-client's RedirectHandler compares it with Location to drop Authorization across
    // origins. After redirects undici followed it stays the requested URL (nobody reads it then).
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Headers, pairs or a record, as one lower-cased record; repeated names joined as Headers#get joins them. */
function requestHeaders(init: RequestInit['headers']): Record<string, string> {
  type Pairs = Iterable<[string, string | readonly string[]]>;
  const pairs: Pairs = init && Symbol.iterator in init ? (init as Pairs) : Object.entries(init ?? {});
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const joined = [value].flat().join(', ');
    headers[key] = Object.hasOwn(headers, key) ? `${headers[key]}, ${joined}` : joined;
  }
  return headers;
}

/** The body as bytes or text, with fetch's default content-type (text for a string, the form's own…). */
async function requestBody(
  body: RequestInit['body'],
  headers: Record<string, string>,
): Promise<string | Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return body;
  }
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // An ArrayBuffer, Blob, FormData, URLSearchParams or stream: a Response serializes it as fetch would.
  const serialized = new Response(body);
  const type = serialized.headers.get('content-type');
  if (type) headers['content-type'] ??= type;
  return new Uint8Array(await serialized.arrayBuffer());
}

/** undici gives a repeated header as an array: one pair each, so Headers joins them as fetch's would. */
function responseHeaders(headers: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const one of [value ?? []].flat()) pairs.push([name, one]);
  }
  return pairs;
}

// fetch asks for compressed answers (Graph compresses when asked) and decodes them, leniently as
// curl does; so does this, on the whole body. An unknown coding leaves the body as it came, as with fetch.
const lenient = { finishFlush: constants.Z_SYNC_FLUSH };
const [gunzipAsync, inflateAsync] = [promisify(gunzip), promisify(inflate)];
const brotliAsync = promisify(brotliDecompress);
const DECODERS: Record<string, (bytes: Uint8Array) => Promise<Uint8Array>> = {
  gzip: (bytes) => gunzipAsync(bytes, lenient),
  'x-gzip': (bytes) => gunzipAsync(bytes, lenient),
  deflate: (bytes) => inflateAsync(bytes, lenient),
  br: (bytes) => brotliAsync(bytes),
};

async function decode(bytes: Uint8Array, encoding: string | string[] | undefined): Promise<Uint8Array> {
  const codings = [encoding ?? []].flat().join(',').toLowerCase().split(',');
  const decoders = codings.map((coding) => DECODERS[coding.trim()]).filter((d) => d !== undefined);
  if (encoding === undefined || decoders.length !== codings.length) return bytes;
  for (const decoder of decoders.reverse()) bytes = await decoder(bytes);
  return bytes;
}
