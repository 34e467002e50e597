// Structured JSON logs (pino) with a request id on every line (Fastify's id, from X-Request-Id or a new
// UUID); credentials are redacted.
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '@config/env.schema.js';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.query.code',
  'req.query.state',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.secret',
];

/**
 * Query parameters that are credentials: OAuth codes, states and Entra's session id on the callbacks,
 * Graph's validation token, and the signed 7-day reconnect and admin-consent links (`link`).
 */
const SECRET_PARAMS = ['code', 'state', 'session_state', 'validationToken', 'link'];
const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#]*`, 'gi');

/** A guest's manage token is a path segment (`/manage/<token>`, `/v1/public/manage/<token>/…`). */
const MANAGE_TOKEN = /(\/manage\/)[^/?#]+/g;

/** The URL with the value of every credential-bearing query parameter, and any manage token, replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM, '$1[redacted]').replace(MANAGE_TOKEN, '$1[redacted]');
}

/** pino-http hands these the standard serialisation of the request and the response. */
export const serializers = {
  req: (req: { id: string; method: string; url: string }) => ({
    id: req.id,
    method: req.method,
    url: redactUrl(req.url),
  }),
  /** The status, and a redirect's target redacted like request URLs (the authorize URL carries the state). */
  res: (res: { statusCode: number | null; headers?: Record<string, unknown> }) => {
    const location = res.headers?.location;
    return typeof location === 'string'
      ? { statusCode: res.statusCode, location: redactUrl(location) }
      : { statusCode: res.statusCode };
  },
};

export type LogDestination = DestinationStream;

@Module({})
export class LoggingModule {
  /**
   * `destination` replaces stdout. nestjs-pino keeps one root logger per process (per Jest test file): the
   * first application created sets the level and destination for every later one.
   */
  static forRoot(config: AppConfig, destination?: LogDestination): DynamicModule {
    const options = {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customProps: () => ({ service: 'kailenty' }),
      serializers,
    };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // LOG_LEVEL=silent writes no line, so pino-http is not run at all: its per-request child logger,
          // request context and response listeners cost ~5 % of a cheap request's CPU for nothing. (The
          // request id does not depend on it: X-Request-Id is Fastify's.)
          forRoutes: config.logLevel === 'silent' ? [] : [{ path: '*path', method: RequestMethod.ALL }],
          pinoHttp: destination ? [options, destination] : options,
        }),
      ],
    };
  }
}
