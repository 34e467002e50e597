// HTTP rate limits (@fastify/rate-limit), one-minute fixed windows: per credential on `/v1` and `/mcp` (the SHA-256
// of the bearer token: a workspace API key or the operator token), per client address everywhere else
// (the pages and their public JSON under /v1/public included, whatever Authorization header they carry);
// Graph's notification endpoints and /health are never limited. A refusal is a 429 RATE_LIMITED problem.
import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit, { normalizeIP, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { RateLimitSettings } from '@config/env.schema.js';
import { RateLimitCounters } from '@application/ports/rate-limit-counters.js';
import { isEmbedded } from '../persistence/orm.js';
import { bearer } from './auth.js';
import { RetryableDomainError } from './retryable-domain-error.js';
import { CounterSync, SYNC_INTERVAL_MS } from './rate-limit-sync.js';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Paths never limited (a path and everything under it). Graph's notification and lifecycle endpoints must
 * keep answering at once whatever the volume: a refused notification is retried for a while and then lost.
 * Health checks come from the orchestrator. Every other route is limited, by credential on `/v1` when the
 * request carries one and by client address otherwise, so a new public route or page needs nothing here.
 */
export const UNLIMITED_PATHS = ['/webhooks/microsoft', '/health'];

/** How long a counter may take before the request passes uncounted (the database is in trouble). */
export const COUNTER_TIMEOUT_MS = 1000;

const CREDENTIAL = 'key:';
const PAGE_HOLD = 'hold:';
/** Where booking pages place holds (RateLimitSettings.pageHoldsPerMinute per address). */
export const PAGE_HOLDS_ROUTE = '/v1/public/booking-pages/:eventTypeId/holds';
const ADDRESS = 'addr:';

export function isUnlimited(path: string): boolean {
  return UNLIMITED_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Routes counted per credential. The pages' public JSON (`/v1/public/…`) takes no credential, so it always
 * counts per address: otherwise a made-up bearer token per request would be a fresh counter each time.
 */
function isApi(request: FastifyRequest): boolean {
  // The matched route's pattern, not the raw URL: what decides is the handler that will run.
  const path = request.routeOptions.url ?? request.url;
  // `/mcp` is the same API for agents, with the same workspace API keys.
  if (path === '/mcp') return true;
  return (path === '/v1' || path.startsWith('/v1/')) && !path.startsWith('/v1/public/');
}

/**
 * The counter a request goes to. A credential counts as its hash, never in clear; the limiter runs before
 * authentication, so an invalid key counts against its own hash (and costs no database lookup here). IPv6
 * addresses count per /64, the block one subscriber usually holds.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const token = isApi(request) ? bearer(request) : undefined;
  if (token) return CREDENTIAL + createHash('sha256').update(token).digest('base64url');
  return ADDRESS + normalizeIP(request.ip);
}

/**
 * The Fastify store over the shared counters, counting in this process and writing to them in batches
 * (`CounterSync`: the bound on what several instances may admit together is stated there). It fails open:
 * when the database errs or is slower than `timeoutMs` the requests waiting for it pass uncounted, and a
 * warning says so (at most once a minute while it lasts). `onClose` is handed the function that stops it.
 */
export function sharedCounterStore(
  counters: RateLimitCounters,
  {
    timeoutMs = COUNTER_TIMEOUT_MS,
    intervalMs = SYNC_INTERVAL_MS,
    logger = new Logger('RateLimit'),
    onClose = () => undefined,
  }: {
    timeoutMs?: number;
    intervalMs?: number;
    logger?: Logger;
    onClose?: (stop: () => void) => void;
  } = {},
): FastifyRateLimitStoreCtor {
  const sync = new CounterSync(counters, {
    windowMs: RATE_LIMIT_WINDOW_MS,
    timeoutMs,
    outage: new OutageLog(logger),
    intervalMs,
  });
  onClose(() => sync.close());
  return class SharedCounterStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      _timeWindow: number,
      max: number,
    ): void {
      sync.incr(key, max, callback);
    }

    child(): SharedCounterStore {
      return this;
    }
  };
}

/**
 * Installs the limits on every route registered from now on: call it before the controllers and the
 * OpenAPI routes exist. On PostgreSQL the counters are shared by every instance (one batched upsert every
 * 200 ms, or sooner when a key nears its share: see `CounterSync`);
 * on PGlite, which only ever serves one instance, they stay in this process (the plugin's LRU), so the
 * one embedded connection is not taken by each request.
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  { enabled, apiPerMinute, publicPerMinute, pageHoldsPerMinute = 10 }: RateLimitSettings,
): Promise<void> {
  if (!enabled) return;
  await app.register(rateLimit, {
    global: false,
    enableDraftSpec: true,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith(CREDENTIAL) ? apiPerMinute : publicPerMinute,
    keyGenerator: rateLimitKey,
    store: isEmbedded(app.get(MikroORM))
      ? undefined
      : sharedCounterStore(app.get(RateLimitCounters), {
          onClose: (stop) =>
            app
              .getHttpAdapter()
              .getInstance()
              .addHook('onClose', async () => stop()),
        }),
    skipOnError: true,
    errorResponseBuilder: (request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      const who = isApi(request) && bearer(request) ? 'with this credential' : 'from this address';
      return new RetryableDomainError(
        'RATE_LIMITED',
        `Too many requests ${who}: at most ${context.max} a minute. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        seconds,
      );
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const limit = fastify.rateLimit();
  // A page hold keeps a host's time for minutes: its own, smaller window per address (one limiter runs per
  // request, so it counts instead of the public one).
  const holdLimit = fastify.rateLimit({
    max: Math.min(pageHoldsPerMinute, publicPerMinute),
    keyGenerator: (request: FastifyRequest) => `${PAGE_HOLD}${rateLimitKey(request)}`,
  });
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (isUnlimited(route.url)) return;
    const hooks = route.onRequest;
    route.onRequest = [
      ...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []),
      route.url === PAGE_HOLDS_ROUTE && route.method === 'POST' ? holdLimit : limit,
    ] as RouteOptions['onRequest'];
  });
}

/** Warns when the counters fail, once a minute at most while they keep failing, and says when they are back. */
class OutageLog {
  private since: number | null = null;
  private warnedAt = 0;
  private unreported = 0;

  constructor(private readonly logger: Logger) {}

  failed(error: unknown): void {
    const now = Date.now();
    this.since ??= now;
    if (now - this.warnedAt < 60_000) {
      this.unreported++;
      return;
    }
    const more = this.unreported > 0 ? ` (${this.unreported} more since the last warning)` : '';
    this.logger.warn(
      `Rate-limit counters unavailable, requests pass without a limit${more}: ${error instanceof Error ? error.message : String(error)}`,
    );
    this.warnedAt = now;
    this.unreported = 0;
  }

  over(): void {
    if (this.since === null) return;
    this.logger.log(`Rate-limit counters are back after ${Math.round((Date.now() - this.since) / 1000)} s`);
    this.since = null;
    this.warnedAt = 0;
    this.unreported = 0;
  }
}
