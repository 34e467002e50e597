// Sends webhooks with Node's fetch: a signed JSON POST, a 2xx within the timeout counts as delivered.
// Redirects are not followed (a receiver must answer at the URL it registered) and the response body is
// not read beyond a short excerpt for the delivery log.
import { WebhookSender, type WebhookRequest } from '@application/ports/webhook.sender.js';
import type { AttemptOutcome } from '@domain/webhook/webhook-delivery.js';
import { SIGNATURE_HEADER, kailentySignature } from './kailenty-signature.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT = 200;

export class FetchWebhookSender extends WebhookSender {
  constructor(
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
    private readonly userAgent = 'kailenty-webhooks/1',
  ) {
    super();
  }

  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        redirect: 'manual',
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
async function excerpt(response: Response): Promise<string> {
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
