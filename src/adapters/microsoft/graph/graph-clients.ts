// Graph calls for a member: the official client with its retry middleware (429/503/504, Retry-After),
// a fetch that trusts the configured CAs, at most 4 concurrent requests per mailbox (Outlook's limit),
// Microsoft's refusals read into a verdict and thrown as a MicrosoftRefusal for the calling use case to
// record (401 not cured by a refresh, 403, claims challenges), and
// every exchange (each retry included) reported to the telemetry: metrics, and a warn line per fault.
import {
  AuthenticationHandler,
  Client,
  GraphError,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { DomainError } from '@domain/shared/domain-error.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { classifyMicrosoftFailure } from '../microsoft-failure-classifier.js';
import { createTrustedFetch, type TrustedFetch } from '../http/trusted-fetch.js';
import type { MicrosoftSettings } from '../microsoft-settings.js';
import { graphOperation, MicrosoftTelemetry, type GraphCall } from '../microsoft-telemetry.js';

/** The last link of graph-client's chain: send through the trusted fetch instead of the global one. */
class TrustedFetchHandler implements Middleware {
  constructor(private readonly fetch: TrustedFetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetch(context.request as string, context.options as RequestInit);
  }
}

/**
 * Sits after the retry middleware, so it sees each attempt on the wire: its status, Graph's error code (read
 * from a copy of the body), Retry-After and request id, and how long it took.
 */
class ObserveHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly observe: (call: GraphCall) => Promise<void>) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const started = performance.now();
    const method = context.options?.method ?? 'GET';
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const retries = Number(headerOf(context.options?.headers, 'retry-attempt') ?? 0);
    const base = { operation: graphOperation(method, url), attempt: retries + 1 };
    try {
      await this.next!.execute(context);
    } catch (error) {
      await this.observe({
        ...base,
        status: null,
        code: (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name ?? null,
        retryAfter: null,
        requestId: null,
        durationMs: performance.now() - started,
      });
      throw error;
    }
    const response = context.response!;
    await this.observe({
      ...base,
      status: response.status,
      code: response.ok ? null : await graphErrorCode(response),
      retryAfter: response.headers.get('retry-after'),
      requestId: response.headers.get('request-id'),
      durationMs: performance.now() - started,
    });
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers as Record<string, string>).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** `error.code` of Graph's error body, from a copy: the graph client still reads the original. */
async function graphErrorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : null;
  } catch {
    return null;
  }
}

/**
 * Counts requests in flight per key and queues the rest. A finishing request hands its slot straight to
 * the first waiter (the count does not drop), so a caller arriving before the waiter resumes cannot
 * slip in and make it limit + 1.
 */
export class ConcurrencyLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const active = this.active.get(key) ?? 0;
    if (active >= this.limit) {
      // Resolved by release() with the slot already counted for us.
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    } else {
      this.active.set(key, active + 1);
    }
    try {
      return await work();
    } finally {
      this.release(key);
    }
  }

  /** Requests in flight for a key (for tests and diagnostics). */
  inFlight(key: string): number {
    return this.active.get(key) ?? 0;
  }

  private release(key: string): void {
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(key);
    if (next) {
      next();
      return;
    }
    const left = (this.active.get(key) ?? 1) - 1;
    if (left === 0) this.active.delete(key);
    else this.active.set(key, left);
  }
}

export interface GraphRetryOptions {
  maxRetries?: number;
  /** Seconds to wait when Graph gives no Retry-After. */
  delaySeconds?: number;
}

export function buildGraphClient(
  settings: Pick<MicrosoftSettings, 'graphUrl'>,
  fetch: TrustedFetch,
  getToken: () => Promise<string>,
  retry: GraphRetryOptions = {},
  observe: (call: GraphCall) => Promise<void> = async () => undefined,
): Client {
  const host = new URL(settings.graphUrl).hostname;
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler({ getAccessToken: getToken }),
      new RetryHandler(new RetryHandlerOptions(retry.delaySeconds ?? 3, retry.maxRetries ?? 3)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new ObserveHandler(observe),
      new TrustedFetchHandler(fetch),
    ],
    baseUrl: settings.graphUrl,
    customHosts: new Set([host]),
  });
}

export interface GraphRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Graph as one member sees it. */
export class GraphSession {
  constructor(
    private readonly client: Client,
    private readonly run: <T>(work: () => Promise<T>) => Promise<T>,
    private readonly onRefused: (error: GraphError) => never,
    private readonly refresh: () => void,
    /** The token provider's own verdict (revoked, not connected…), which graph-client wraps in a GraphError. */
    private readonly tokenFailure: () => unknown,
  ) {}

  async request<T>(request: GraphRequest): Promise<T> {
    return this.run(async () => {
      try {
        return await this.attempt<T>(request);
      } catch (error) {
        throw this.tokenFailure() ?? error;
      }
    });
  }

  private async attempt<T>(request: GraphRequest): Promise<T> {
    try {
      return await this.send<T>(request);
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 401 && !isClaimsChallenge(error)) {
        // An access token can die before its expiry (revoked sessions): one forced refresh, then judge.
        this.refresh();
        try {
          return await this.send<T>(request);
        } catch (second) {
          if (second instanceof GraphError) return this.fail(second);
          throw second;
        }
      }
      if (error instanceof GraphError) return this.fail(error);
      throw error;
    }
  }

  private send<T>(request: GraphRequest): Promise<T> {
    let api = this.client.api(request.path);
    for (const [name, value] of Object.entries(request.headers ?? {})) api = api.header(name, value);
    switch (request.method) {
      case 'GET':
        return api.get() as Promise<T>;
      case 'POST':
        return api.post(request.body ?? {}) as Promise<T>;
      case 'PATCH':
        return api.patch(request.body ?? {}) as Promise<T>;
      case 'DELETE':
        return api.delete() as Promise<T>;
    }
  }

  private async fail(error: GraphError): Promise<never> {
    if (
      error.statusCode === 401 ||
      (error.statusCode === 403 && isAccountRefusal(error)) ||
      isClaimsChallenge(error)
    ) {
      return this.onRefused(error);
    }
    throw error;
  }
}

function isClaimsChallenge(error: GraphError): boolean {
  const header = error.headers?.get?.('www-authenticate') ?? '';
  return (
    /claims=/i.test(header) || (error.code === 'InvalidAuthenticationToken' && /claims/i.test(error.message))
  );
}

function isAccountRefusal(error: GraphError): boolean {
  return [
    'ErrorAccessDenied',
    'Authorization_RequestDenied',
    'AccessDenied',
    'MailboxNotEnabledForRESTAPI',
  ].includes(error.code ?? '');
}

/** Statuses the graph client retries within a call (after Retry-After). */
const RETRIED_STATUSES = new Set([429, 503, 504]);

export interface MemberSessionOptions {
  /** Told of each throttling or outage Graph answers that the client retries within the call. */
  onRetry?: (call: GraphCall) => Promise<void>;
}

export class GraphClients {
  readonly fetch: TrustedFetch;
  private readonly limiter = new ConcurrencyLimiter(4);

  constructor(
    private readonly settings: MicrosoftSettings,
    private readonly tokens: MicrosoftTokenProvider,
    private readonly retry: GraphRetryOptions = {},
    private readonly telemetry: MicrosoftTelemetry = MicrosoftTelemetry.none,
  ) {
    this.fetch = createTrustedFetch({ extraCaPem: settings.extraCaPem });
  }

  forMember(workspaceId: string, memberId: string, options: MemberSessionOptions = {}): GraphSession {
    let forceRefresh = false;
    let tokenFailure: unknown = null;
    const client = buildGraphClient(
      this.settings,
      this.fetch,
      async () => {
        try {
          const token = await this.tokens.accessToken(workspaceId, memberId, { forceRefresh });
          forceRefresh = false;
          return token;
        } catch (error) {
          tokenFailure = error;
          throw error;
        }
      },
      this.retry,
      async (call) => {
        this.telemetry.graphCall({ workspaceId, memberId }, call);
        // The caller's bookkeeping must never break the call it observes.
        if (options.onRetry && call.status !== null && RETRIED_STATUSES.has(call.status))
          await options.onRetry(call).catch(() => undefined);
      },
    );
    return new GraphSession(
      client,
      (work) => this.limiter.run(`${workspaceId}/${memberId}`, work),
      (error) => {
        throw new MicrosoftRefusal(
          classifyMicrosoftFailure({
            graphStatus: error.statusCode,
            claimsChallenge: isClaimsChallenge(error),
          }),
          { workspaceId, memberId },
          `Microsoft Graph refused this member's access (${error.code}).`,
        );
      },
      () => {
        forceRefresh = true;
      },
      () => tokenFailure,
    );
  }

  /** A client with a fixed token (a freshly signed-in account, before its connection is recorded). */
  withToken(accessToken: string): Client {
    return buildGraphClient(
      this.settings,
      this.fetch,
      async () => accessToken,
      this.retry,
      async (call) => this.telemetry.graphCall(null, call),
    );
  }
}

/** Graph's throttling and outages, as the API reports them. */
export function graphFaultToDomain(error: unknown): never {
  if (error instanceof GraphError) {
    if (error.statusCode === 429)
      throw new DomainError('RATE_LIMITED', 'Microsoft Graph is throttling requests.');
    if (error.statusCode >= 500 || error.statusCode === -1) {
      throw new DomainError(
        'MICROSOFT_UNAVAILABLE',
        `Microsoft Graph answered ${error.statusCode} (${error.code}).`,
      );
    }
  }
  throw error;
}
