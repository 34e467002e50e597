// Sends webhooks with undici's fetch: a signed JSON POST, a 2xx within the timeout counts as delivered.
// Redirects are not followed (a receiver must answer at the URL it registered) and the response body is
// not read beyond a short excerpt for the delivery log. Unless private networks are allowed, the host is
// resolved by our own lookup and the connection refused when any of its addresses is loopback, private,
// link-local or unique-local: the address checked is the one connected to, so DNS rebinding gains nothing.
// A refusal is recorded without the host's addresses (the delivery log is readable by any API key of the
// workspace, which must not learn how internal names resolve); they go to the service's log.
import type { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { Logger, type LoggerService } from '@nestjs/common';
import { Agent, fetch as undiciFetch } from 'undici';
import { WebhookSender, type WebhookRequest } from '@application/ports/webhook.sender.js';
import type { AttemptOutcome } from '@domain/webhook/webhook-delivery.js';
import { isIpLiteral, isPrivateAddress } from '@domain/webhook/private-address.js';
import { SIGNATURE_HEADER, kailentySignature } from './kailenty-signature.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT = 200;
const PRIVATE_TARGET = 'WEBHOOK_PRIVATE_TARGET';
/** What the delivery log says of a refused target: nothing about the host or its addresses. */
export const PRIVATE_TARGET_ERROR =
  'refused: the target address is not allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS is false)';

/** Resolves a name to all its addresses, as `dns.lookup(host, { all: true }, …)` does. */
export type ResolveAll = (
  host: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface FetchWebhookSenderOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS (default false). */
  allowPrivateNetworks?: boolean;
  timeoutMs?: number;
  userAgent?: string;
  /** Name resolution; `dns.lookup` (the system resolver, as every connection uses) unless a test says. */
  resolve?: ResolveAll;
  logger?: Pick<LoggerService, 'warn'>;
}

/** A refused target: the host and address travel with the error to the log line, never to the outcome. */
interface PrivateTargetError extends Error {
  code: typeof PRIVATE_TARGET;
  host: string;
  address: string;
}

function privateTarget(host: string, address: string): PrivateTargetError {
  return Object.assign(new Error(PRIVATE_TARGET_ERROR), { code: PRIVATE_TARGET, host, address } as const);
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup that fails when the name has any address webhooks must not reach. */
function publicOnlyLookup(resolve: ResolveAll) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(host, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) return callback(privateTarget(host, blocked.address), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first)
        return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
      return callback(null, first.address, first.family);
    });
  };
}

export class FetchWebhookSender extends WebhookSender {
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly allowPrivateNetworks: boolean;
  private readonly dispatcher: Agent;
  private readonly logger: Pick<LoggerService, 'warn'>;

  constructor(
    options: FetchWebhookSenderOptions = {},
    /** Waited for before each request: what the webhook tells of is then what any instance reads. */
    private readonly reads: Pick<WorkspaceReadCache, 'settled'> | null = null,
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? 'kailenty-webhooks/1';
    this.allowPrivateNetworks = options.allowPrivateNetworks ?? false;
    this.logger = options.logger ?? new Logger('WebhookSender');
    const lookup = publicOnlyLookup(options.resolve ?? (dnsLookup as ResolveAll));
    this.dispatcher = new Agent(this.allowPrivateNetworks ? {} : { connect: { lookup } });
  }

  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    await this.reads?.settled();
    // An address literal is connected to without a lookup: checked here.
    const host = new URL(request.url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (!this.allowPrivateNetworks && isIpLiteral(host) && isPrivateAddress(host)) {
      return this.refused(request, privateTarget(host, host));
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
      const refusal = privateTargetOf(error);
      if (refusal) return this.refused(request, refusal);
      return { ok: false, status: null, error: describe(error, this.timeoutMs) };
    }
  }

  private refused(request: WebhookRequest, refusal: PrivateTargetError): AttemptOutcome {
    const resolved = refusal.host === refusal.address ? '' : ` resolved to ${refusal.address},`;
    this.logger.warn(
      `webhook endpoint ${request.endpointId}: refused ${refusal.host},${resolved} a loopback, private, ` +
        `link-local or unique-local address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is false)`,
    );
    return { ok: false, status: null, error: PRIVATE_TARGET_ERROR };
  }
}

/** The lookup's refusal, as undici's fetch wraps it (`TypeError: fetch failed`, the cause inside). */
function privateTargetOf(error: unknown): PrivateTargetError | null {
  // Duck-typed, not `instanceof`: fetch's errors may come from another realm (e.g. a test sandbox).
  const cause = (error as { cause?: Partial<PrivateTargetError> } | null)?.cause;
  return cause?.code === PRIVATE_TARGET && typeof cause.host === 'string' && typeof cause.address === 'string'
    ? (cause as PrivateTargetError)
    : null;
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
  if (e.cause?.code) return `${e.message ?? 'fetch failed'}: ${e.cause.code}`;
  return e.cause?.message ?? e.message ?? String(error);
}
