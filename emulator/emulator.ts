// Starts the Microsoft 365 emulator: one HTTPS server that answers as Entra ID (login host) and as
// Microsoft Graph (/v1.0), plus its control surface; in-process for tests and sandbox, or standalone.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import { EmulatorControl, registerControlRoutes } from './control.js';
import { aadsts, tokenErrorBody } from './entra/aadsts.js';
import { registerEntra } from './entra/routes.js';
import { registerBatch } from './graph/batch.js';
import { graphErrorBody, WWW_AUTHENTICATE } from './graph/errors.js';
import { Notifier } from './graph/notifier.js';
import { registerGraph } from './graph/routes.js';
import { registerSubscriptions } from './graph/subscriptions.js';
import { generateSigningKey, peekJwt } from './jwt.js';
import { DEMO, resumeDemo, seedDemo, type DemoSeed, type DemoSeedOptions } from './seed.js';
import { readStateFile, restoreState, reusableTls, snapshotOf, StateFileWriter } from './persistence.js';
import { defaultLimits, EmulatorState, type EmulatorLimits, type Fault } from './state.js';
import { generateTlsMaterial, type TlsMaterial } from './tls.js';

export interface EmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** TLS key, certificate and the CA to trust; generated when absent. */
  tls?: TlsMaterial;
  /** PEM of the RSA key that signs tokens; generated when absent. */
  signingKeyPem?: string;
  /** Limits that sources disagree on, and timings (see state.ts defaultLimits). */
  limits?: Partial<EmulatorLimits>;
  /** Seed the demo tenant at start (true or its options). */
  demo?: boolean | DemoSeedOptions;
  /** Fastify logging (default off). */
  logger?: boolean;
  /**
   * Keep the state in this JSON file: loaded at start when it exists (with the signing key, the TLS
   * material and the port, which is then the default), written after changes and at close.
   */
  stateFile?: string;
}

export interface Emulator {
  /** https://127.0.0.1:<port> — both the Entra authority host and the Graph host. */
  url: string;
  /** "127.0.0.1:<port>": what MSAL's knownAuthorities wants. */
  hostAndPort: string;
  /** The `organizations` authority kailenty signs members in with. */
  authority: string;
  /** Graph's base URL without the version, as graph-client's `baseUrl` wants it. */
  graphUrl: string;
  /** PEM of the CA that signed the server certificate: what a client must trust. */
  caPem: string;
  control: EmulatorControl;
  /** The demo seed, when started with `demo`. */
  demo?: DemoSeed;
  /** Seeds the demo tenant now. */
  seedDemo(options?: DemoSeedOptions): Promise<DemoSeed>;
  /** True when the state was loaded from `stateFile` (a restart), false for a fresh Microsoft 365. */
  restored: boolean;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    emuStart?: number;
    emuFault?: string;
    emuLateFault?: Fault;
    emuCounted?: string;
    emuRequestId?: string;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const saved = options.stateFile ? readStateFile(options.stateFile) : null;
  const tls =
    options.tls ??
    reusableTls(saved?.tls, host, Date.now()) ??
    (await generateTlsMaterial(
      host === '127.0.0.1' || host === 'localhost'
        ? ['127.0.0.1', 'localhost']
        : [host, '127.0.0.1', 'localhost'],
    ));
  // Tokens issued before a restart must still verify: the key that signed them is kept with the state.
  const signingKey = generateSigningKey(options.signingKeyPem ?? saved?.signingKeyPem);
  const state = new EmulatorState({ ...defaultLimits, ...saved?.limits, ...options.limits }, signingKey);
  if (saved) restoreState(state, saved);
  const notifier = new Notifier(state);
  let baseUrl = '';
  let hostAndPort = '';
  const ctx: EmulatorContext = {
    state,
    notifier,
    caPem: tls.ca,
    baseUrl: () => baseUrl,
    hostAndPort: () => hostAndPort,
  };

  const app = Fastify({
    https: { key: tls.key, cert: tls.cert },
    logger: options.logger ?? false,
    // Exchange item ids are ~150 characters: above Fastify's default limit for a path parameter.
    routerOptions: { maxParamLength: 2000 },
    bodyLimit: 4 * 1024 * 1024,
  });
  configureParsers(app);
  installHooks(app, state);

  registerEntra(app, ctx);
  const routing = registerGraph(app, ctx);
  registerSubscriptions(routing, ctx);
  registerBatch(routing, ctx);
  const rawControl = new EmulatorControl(ctx);
  registerControlRoutes(app, rawControl, (body) => seedDemo(rawControl, body as DemoSeedOptions));
  installFallbacks(app, state);
  let writer: StateFileWriter | null = null;
  // Every request may change the state (a sign-in, a token, an event, a delta token, a control call).
  if (options.stateFile) app.addHook('onResponse', async () => writer?.schedule());

  await app.listen({ host, port: options.port ?? saved?.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port!;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  hostAndPort = `${urlHost}:${port}`;
  baseUrl = `https://${hostAndPort}`;

  let control = rawControl;
  if (options.stateFile) {
    const signingKeyPem = signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const file = new StateFileWriter(options.stateFile, () =>
      snapshotOf(state, { port, signingKeyPem, tls }),
    );
    writer = file;
    // So may every in-process control call.
    control = savingAfterEachCall(rawControl, () => file.schedule());
    file.flush();
  }

  const emulator: Emulator = {
    url: baseUrl,
    hostAndPort,
    authority: `${baseUrl}/organizations`,
    graphUrl: baseUrl,
    caPem: tls.ca,
    control,
    restored: saved !== null,
    seedDemo: (o) => seedDemo(control, o),
    close: async () => {
      await control.idle();
      await app.close();
      writer?.flush();
    },
  };
  if (options.demo) {
    const demoOptions = options.demo === true ? {} : options.demo;
    // A restored Microsoft 365 already has its demo tenant (as people left it): only the app's redirect
    // URIs follow the service's current address.
    emulator.demo = state.tenants.has(DEMO.tenantId)
      ? resumeDemo(control, demoOptions)
      : await seedDemo(control, demoOptions);
  }
  writer?.flush();
  return emulator;
}

/** The control API, with a save scheduled after each call (and after its promise settles, for async ones). */
function savingAfterEachCall(control: EmulatorControl, changed: () => void): EmulatorControl {
  return new Proxy(control, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        changed();
        if (result instanceof Promise) void result.finally(changed).catch(() => undefined);
        return result;
      };
    },
  });
}

function configureParsers(app: FastifyInstance) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  // Graph tolerates an empty body with a JSON content type (e.g. POST …/cancel without a comment).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = (body as string).trim();
    if (!text) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      ) as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => done(null, body));
}

const isGraph = (url: string) => url.startsWith('/v1.0') || url.startsWith('/beta');
const isControl = (url: string) => url.startsWith('/_emulator');

function installHooks(app: FastifyInstance, state: EmulatorState) {
  app.addHook('onRequest', async (req, reply) => {
    req.emuStart = performance.now();
    if (!isGraph(req.url)) return;
    // Graph answers with a request id on every response; clients log it for support cases.
    const requestId = randomUUID();
    req.emuRequestId = requestId;
    reply.header('request-id', requestId);
    reply.header('client-request-id', (req.headers['client-request-id'] as string) ?? requestId);
    reply.header(
      'x-ms-ags-diagnostic',
      '{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"EMU"}}',
    );
    const limit = state.limits.maxConcurrentRequestsPerMailbox;
    const userId = identify(req, state).userId;
    if (!limit || !userId || req.url.startsWith('/v1.0/$batch')) return;
    const current = state.inFlight.get(userId) ?? 0;
    if (current >= limit) {
      reply.header('Retry-After', '1');
      return reply
        .status(429)
        .send(
          graphErrorBody(req, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'),
        );
    }
    state.inFlight.set(userId, current + 1);
    req.emuCounted = userId;
  });

  const release = (req: FastifyRequest) => {
    if (!req.emuCounted) return;
    state.inFlight.set(req.emuCounted, Math.max(0, (state.inFlight.get(req.emuCounted) ?? 1) - 1));
    req.emuCounted = undefined;
  };
  app.addHook('onRequestAbort', async (req) => release(req));

  // Faults are applied after parsing so that they can match the user of a code or refresh token.
  app.addHook('preHandler', async (req, reply) => {
    if (isControl(req.url)) return;
    const who = identify(req, state);
    const path = req.url.split('?')[0];
    const fault = state.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.match?.method || f.match.method.toUpperCase() === req.method) &&
        (!f.match?.pathPrefix || path.startsWith(f.match.pathPrefix)) &&
        (!f.match?.userId || f.match.userId === who.userId),
    );
    if (!fault) return;
    fault.remaining--;
    fault.hits++;
    req.emuFault = fault.id;
    if (fault.latencyMs && !fault.afterHandler) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.disconnect) {
      release(req);
      state.log({
        at: state.nowIso(),
        method: req.method,
        path: req.url.split('?')[0],
        query: {},
        status: 0,
        durationMs: 0,
        ...who,
        faultId: fault.id,
      });
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    if (fault.afterHandler) req.emuLateFault = fault;
    else if (fault.status) return sendFault(req, reply, fault);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const fault = req.emuLateFault;
    if (!fault) return payload;
    req.emuLateFault = undefined;
    // The work is done; the answer is late (a client that dies meanwhile never learns of it) or a fault.
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (!fault.status) return payload;
    const { status, headers, body } = faultResponse(req, fault);
    reply.code(status);
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(body);
  });

  app.addHook('onResponse', async (req, reply) => {
    release(req);
    if (isControl(req.url)) return;
    const who = identify(req, state);
    const [path, search = ''] = req.url.split('?');
    state.log({
      at: state.nowIso(),
      method: req.method,
      path,
      query: Object.fromEntries(new URLSearchParams(search)),
      status: reply.statusCode,
      durationMs: Math.round(performance.now() - (req.emuStart ?? performance.now())),
      ...who,
      faultId: req.emuFault,
      body: loggedBody(req),
    });
  });
}

function identify(
  req: FastifyRequest,
  state: EmulatorState,
): { userId?: string; tenantId?: string; clientId?: string } {
  const auth = req.headers.authorization;
  if (auth && /^Bearer /i.test(auth)) {
    const claims = peekJwt(auth.slice(7).trim());
    if (claims) {
      return {
        userId: claims.idtyp === 'user' ? (claims.oid as string) : undefined,
        tenantId: claims.tid as string,
        clientId: claims.appid as string,
      };
    }
  }
  const form = (req.body ?? {}) as Record<string, string>;
  if (req.method === 'POST' && req.url.includes('/oauth2/v2.0/token') && typeof form === 'object') {
    const record = form.code
      ? state.codes.get(form.code)
      : form.refresh_token
        ? state.refreshTokens.get(form.refresh_token)
        : undefined;
    return { userId: record?.userId, tenantId: record?.tenantId, clientId: form.client_id };
  }
  return {};
}

const SECRET_FIELDS = new Set([
  'client_secret',
  'code',
  'refresh_token',
  'code_verifier',
  'client_assertion',
]);

function loggedBody(req: FastifyRequest): unknown {
  const body = req.body;
  if (body === undefined || body === null || req.method === 'GET') return undefined;
  if (req.url.includes('/oauth2/v2.0/token') && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body as Record<string, string>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '***' : v]),
    );
  }
  return body;
}

const GRAPH_FAULTS: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
  404: ['ErrorItemNotFound', 'The specified object was not found in the store.'],
  429: ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  503: ['ServiceNotAvailable', 'Service is temporarily unavailable. Please try again later.'],
  504: ['GatewayTimeout', 'The gateway did not receive a timely response.'],
};

function sendFault(req: FastifyRequest, reply: FastifyReply, fault: Fault) {
  const { status, headers, body } = faultResponse(req, fault);
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.status(status).send(body);
}

function faultResponse(
  req: FastifyRequest,
  fault: Fault,
): { status: number; headers: Record<string, string>; body: unknown } {
  const status = fault.status!;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (isGraph(req.url)) {
    if (status === 401 && fault.claimsChallenge) {
      // Continuous Access Evaluation: the client must get a new token carrying these claims.
      const claims = Buffer.from(
        JSON.stringify({
          access_token: { nbf: { essential: true, value: String(Math.floor(Date.now() / 1000)) } },
        }),
      ).toString('base64');
      headers['WWW-Authenticate'] =
        `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${claims}"`;
      const message =
        'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp';
      return {
        status,
        headers,
        body: graphErrorBody(req, 'InvalidAuthenticationToken', fault.message ?? message),
      };
    }
    if (status === 401) headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
    const [code, message] = GRAPH_FAULTS[status] ?? ['UnknownError', 'An error occurred.'];
    return { status, headers, body: graphErrorBody(req, fault.code ?? code, fault.message ?? message) };
  }
  const err =
    status === 429
      ? {
          ...aadsts(90055),
          error: 'temporarily_unavailable',
          status,
          description:
            'TenantThrottlingError - There are too many incoming requests. This exception is thrown for blocked tenants.',
        }
      : status >= 500
        ? {
            ...aadsts(90033),
            error: 'temporarily_unavailable',
            status,
            description: 'A transient error has occurred. Please try again.',
          }
        : {
            ...aadsts(90000),
            error: fault.code ?? 'invalid_request',
            status,
            description: fault.message ?? 'Injected fault.',
          };
  return { status, headers, body: tokenErrorBody(err) };
}

function installFallbacks(app: FastifyInstance, state: EmulatorState) {
  app.setNotFoundHandler((req, reply) => {
    if (isGraph(req.url)) {
      const segment = req.url.split('?')[0].split('/').filter(Boolean).pop() ?? '';
      return reply
        .status(400)
        .send(graphErrorBody(req, 'BadRequest', `Resource not found for the segment '${segment}'.`));
    }
    return reply.status(404).send({
      error: 'not_found',
      error_description: `The emulator has no endpoint ${req.method} ${req.url.split('?')[0]}.`,
    });
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (isGraph(req.url)) {
      return reply
        .status(status)
        .send(
          graphErrorBody(
            req,
            status === 400 ? 'BadRequest' : 'InternalServerError',
            error.message,
            new Date(state.now()),
          ),
        );
    }
    return reply
      .status(status)
      .send({ error: status === 400 ? 'invalid_request' : 'server_error', error_description: error.message });
  });
}
