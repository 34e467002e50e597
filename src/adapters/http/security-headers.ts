// The response headers that tell a browser how to treat what kailenty serves (helmet): nothing
// sniffed, framed, or sent on as a referrer; a Content-Security-Policy that allows nothing on the API and
// what Swagger UI needs under /docs; HSTS when PUBLIC_URL is https; and `Cache-Control: no-store` on every
// response but the docs, since answers carry API keys, webhook signing secrets and workspace data.
//
// A route that is meant to be framed by a product's pages opts out of the frame ban with its route config:
// `@RouteConfig(frameableBy(['https://app.contoso.com']))` on a Nest handler (from @nestjs/platform-fastify),
// or `{ config: frameableBy([...]) }` on a Fastify route. Any other per-route policy works the same way:
// `config.helmet` holds helmet options that replace the global ones key by key.
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/** Content-Security-Policy directives, camelCase names as helmet takes them. */
export type CspDirectives = Record<string, string[]>;

/** The API serves JSON, text and redirects, never a page: a document from it may do nothing at all. */
export const API_CSP: CspDirectives = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Swagger UI, all served from this origin: its scripts (the page inlines none), its styles (the page has
 * inline `<style>` blocks and a `style` attribute, hence 'unsafe-inline' for styles only), the icons its
 * CSS inlines as data: URLs, and the calls "Try it out" makes to this origin.
 */
const DOCS_CSP: CspDirectives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The Swagger UI page and its assets (not /docs-json, which is an API answer like any other). */
const DOCS_PREFIX = '/docs';

type RouteConfig = { helmet?: HelmetOptions; cacheable?: boolean };

// A route's own headers live in its config, beside other plugins' settings (the rate limit's).
declare module 'fastify' {
  interface FastifyContextConfig {
    helmet?: HelmetOptions;
    cacheable?: boolean;
  }
}

/**
 * Route config that lets `origins` (e.g. `https://app.contoso.com`, or `'self'`) frame the route, with the
 * page's own policy otherwise (the API's, by default). Pass it to `@RouteConfig(…)`.
 */
export function frameableBy(origins: string[], directives: CspDirectives = API_CSP): RouteConfig {
  return {
    helmet: {
      xFrameOptions: false,
      contentSecurityPolicy: { useDefaults: false, directives: { ...directives, frameAncestors: origins } },
    },
  };
}

/** The headers helmet's middleware sets with these options, read once from a response that records them. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet(options);
  middleware({} as never, response as never, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The header value helmet writes for `directives`. */
function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${kebab(name)} ${values.join(' ')}`)
    .join(';');
}

/**
 * The headers of an answer written before any hook runs (an unusable URL, a request too slow or with
 * headers too large, answered by the router or on the socket): the same rules as every error response.
 */
export const BARE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': serializeCsp(API_CSP),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Registers the headers on every route registered after it: call it before any route exists. */
export async function registerSecurityHeaders(
  fastify: FastifyInstance,
  options: { publicUrl: string },
): Promise<void> {
  // Swagger's routes are registered by @nestjs/swagger, so they get their policy here rather than by hand.
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
      route.config = {
        ...route.config,
        helmet: { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } },
        cacheable: true,
      } satisfies RouteConfig;
    }
  });
  const global: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers ignore HSTS over http, and a service reached over http has nothing to pin.
    strictTransportSecurity: options.publicUrl.startsWith('https:')
      ? { maxAge: 365 * 24 * 3600, includeSubDomains: true }
      : false,
  };
  // helmet decides the headers; they are worked out once per route configuration, not on every request
  // (@fastify/helmet, used until 2026-12, built helmet's middleware anew for each request).
  const globalHeaders = helmetHeaders(global);
  const byRoute = new WeakMap<object, Record<string, string>>();
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config as RouteConfig;
    let headers = config.helmet ? byRoute.get(config) : globalHeaders;
    if (!headers)
      byRoute.set(config, (headers = helmetHeaders({ ...global, ...config.helmet } as HelmetOptions)));
    void reply.headers(headers);
  });
  // In onRequest, so that 404s and errors raised anywhere later carry it too; a handler may still set its own.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(request.routeOptions.config as RouteConfig).cacheable)
      void reply.header('cache-control', 'no-store');
  });
}
