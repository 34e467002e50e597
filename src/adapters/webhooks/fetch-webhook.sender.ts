// Sends webhooks with undici's fetch: a signed JSON POST, a 2xx within the timeout counts as delivered.
// Redirects are not followed (a receiver must answer at the URL it registered) and the response body is
// not read beyond a short excerpt for the delivery log. Unless private networks are allowed, the host is
// resolved by our own lookup and the connection refused when any of its addresses is loopback, private,
// link-local or unique-local: the address checked is the one connected to, so DNS rebinding gains nothing.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { WebhookSender, type WebhookRequest } from '@application/ports/webhook.sender.js';
import type { AttemptOutcome } from '@domain/webhook/webhook-delivery.js';
import { isIpLiteral, isPrivateAddress } from '@domain/webhook/private-address.js';
import { SIGNATURE_HEADER, kailentySignature } from './kailenty-signature.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT = 200;
const PRIVATE_TARGET = 'WEBHOOK_PRIVATE_TARGET';

export interface FetchWebhookSenderOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS (default false). */
  allowPrivateNetworks?: boolean;
  timeoutMs?: number;
  userAgent?: string;
}

function privateTarget(host: string, address: string): Error {
  return Object.assign(
    new Error(
      `refused: ${host} is ${host === address ? 'a' : `resolved to ${address}, a`} loopback, private, link-local or unique-local address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is false)`,
    ),
    { code: PRIVATE_TARGET },
  );
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails when the name has any address webhooks must not reach. */
function publicOnlyLookup(host: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(host, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(privateTarget(host, blocked.address), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first)
      return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
    return callback(null, first.address, first.family);
  });
}

export class FetchWebhookSender extends WebhookSender {
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly allowPrivateNetworks: boolean;
  private readonly dispatcher: Agent;

  constructor(options: FetchWebhookSenderOptions = {}) {
    super();
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? 'kailenty-webhooks/1';
    this.allowPrivateNetworks = options.allowPrivateNetworks ?? false;
    this.dispatcher = new Agent(this.allowPrivateNetworks ? {} : { connect: { lookup: publicOnlyLookup } });
  }

  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    // An address literal is connected to without a lookup: checked here.
    const host = new URL(request.url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (!this.allowPrivateNetworks && isIpLiteral(host) && isPrivateAddress(host)) {
      return { ok: false, status: null, error: privateTarget(host, host).message };
    }
    try {
      const response = await undiciFetch(request.url, {
        method: 'POST',
        redirect: 'manual',
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': this.userAgent,
          [SIGNATURE_HEADER]: kailentySignature(request.secret, request.body, request.signedAt),
          'Kailenty-Event-Id': request.eventId,
          'Kailenty-Event-Type': request.eventType,
        },
        body: request.body,
      });
      if (response.status >= 200 && response.status < 300) {
        await response.body?.cancel();
        return { ok: true, status: response.status };
      }
      const text = await excerpt(response);
      return {
        ok: false,
        status: response.status,
        error: `HTTP ${response.status}${text ? `: ${text}` : ''}`,
      };
    } catch (error) {
      return { ok: false, status: null, error: describe(error, this.timeoutMs) };
    }
  }
}

/** The start of the answer, for the log; reading stops after a few KB whatever the receiver sends. */
async function excerpt(response: { body: ReadableStream<Uint8Array> | null }): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    await reader.cancel();
  } catch {
    // A body cut short still tells what came before.
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, EXCERPT);
}

function describe(error: unknown, timeoutMs: number): string {
  // Duck-typed, not `instanceof`: fetch's errors may come from another realm (e.g. a test sandbox).
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e.cause?.code === PRIVATE_TARGET) return e.cause.message ?? PRIVATE_TARGET;
  if (e.cause?.code) return `${e.message ?? 'fetch failed'}: ${e.cause.code}`;
  return e.cause?.message ?? e.message ?? String(error);
}
