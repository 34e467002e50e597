// The service's configuration: read from the environment once at boot, validated, and handed to adapters.
// A bad value stops the process with a message that names the variable.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export type DatabaseTarget =
  /** `poolSize`: the most connections the ORM's pool opens (default DEFAULT_POOL_SIZE). */
  { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir: string };

/**
 * Connections of the ORM's pool on a PostgreSQL server unless DATABASE_POOL_SIZE says otherwise. 20, not 10: a
 * booking holds a connection for each of its transactions, and with 12 requests in flight a pool of 10 made
 * refused bookings wait for one (`npm run bench:bookings` with 1,000 bookings a phase, 2026-12-07: a refused
 * p99 of 37.9–62.5 ms with 10, 42.4–48.0 ms with 20, six runs each). The pool opens connections as they are
 * needed: two instances stay far below PostgreSQL's default of 100.
 */
export const DEFAULT_POOL_SIZE = 20;

export interface AppConfig {
  port: number;
  publicUrl: string;
  dataDir: string;
  database: DatabaseTarget;
  /** Null only in sandbox mode before the sandbox generates and keeps one. */
  operatorToken: string | null;
  /** Encryption keys for stored Microsoft tokens, newest first (older ones only decrypt). */
  tokenEncryptionKeys: Buffer[];
  sandbox: boolean;
  /** Whether webhooks may target loopback, private, link-local and unique-local addresses. */
  webhookAllowPrivateNetworks: boolean;
  /**
   * TRUST_PROXY: which proxies in front may say who the client is (X-Forwarded-For): false (none: the
   * socket's address is the client's), true (any), a hop count, or addresses/CIDRs. The client address
   * feeds the per-address rate limits and the audit trail, so trusting a header anyone can send is a bypass.
   */
  trustProxy: boolean | number | string;
  logLevel: string;
  rateLimit: RateLimitSettings;
  /** How long a client may take to send a request (slow clients hold a connection each). */
  http: {
    /** HTTP_HEADERS_TIMEOUT_MS: from the connection (or the first byte of the next request) to the end of its headers. */
    headersTimeoutMs: number;
    /** HTTP_REQUEST_TIMEOUT_MS: from there to the end of the body; never the time the answer takes. */
    requestTimeoutMs: number;
    /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long an idle connection is kept for the next request. */
    keepAliveTimeoutMs: number;
  };
  /** METRICS_TOKEN: the bearer GET /metrics asks for; null or absent: /metrics is open like /health. */
  metricsToken?: string | null;
  microsoft: {
    clientId: string | null;
    clientSecret: string | null;
    authorityHost: string;
    graphUrl: string;
    /** Schedules per Graph getSchedule call (GRAPH_SCHEDULES_PER_CALL): 20 in the docs, 100 observed. */
    schedulesPerCall?: number;
    /** Extra CA to trust for these hosts: set in-process by the sandbox for its emulator, never from env. */
    extraCaPem?: string;
  };
  /**
   * Sandbox only (EMULATOR_PORT): the port of the bundled Microsoft 365 emulator, 0 for any free one;
   * null (unset): the port it had last time (kept in DATA_DIR), else 8443.
   */
  emulatorPort?: number | null;
}

export interface RateLimitSettings {
  enabled: boolean;
  /** Requests per minute per credential (workspace API key or operator token) on `/v1`. */
  apiPerMinute: number;
  /** Requests per minute per client address on what needs no credential (OAuth callbacks, links, pages). */
  publicPerMinute: number;
  /**
   * Holds a booking page may place per minute per client address (POST /v1/public/booking-pages/{id}/holds,
   * counted on its own instead of in publicPerMinute).
   */
  pageHoldsPerMinute?: number;
}

const perMinute = (name: string) => `${name} must be a whole number from 1 to 1000000`;

class EnvironmentVariables {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional()
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000' })
  DATABASE_POOL_SIZE?: number;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() @MinLength(16) OPERATOR_TOKEN?: string;
  @IsOptional() @IsString() TOKEN_ENCRYPTION_KEY?: string;
  @IsOptional() @IsString() MICROSOFT_CLIENT_ID?: string;
  @IsOptional() @IsString() MICROSOFT_CLIENT_SECRET?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https'], require_protocol: true })
  MICROSOFT_AUTHORITY_HOST?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https'], require_protocol: true })
  MICROSOFT_GRAPH_URL?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: string;
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F:.]+(\/\d{1,3})?(\s*,\s*[0-9a-fA-F:.]+(\/\d{1,3})?)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY?: string;
  @IsOptional()
  @IsInt({ message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  @Min(1, { message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  @Max(100, { message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  GRAPH_SCHEDULES_PER_CALL?: number;
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'RATE_LIMIT_ENABLED must be true or false' })
  RATE_LIMIT_ENABLED?: string;
  @IsOptional()
  @IsInt({ message: perMinute('RATE_LIMIT_API_PER_MINUTE') })
  @Min(1, { message: perMinute('RATE_LIMIT_API_PER_MINUTE') })
  @Max(1_000_000, { message: perMinute('RATE_LIMIT_API_PER_MINUTE') })
  RATE_LIMIT_API_PER_MINUTE?: number;
  @IsOptional()
  @IsInt({ message: perMinute('RATE_LIMIT_PUBLIC_PER_MINUTE') })
  @Min(1, { message: perMinute('RATE_LIMIT_PUBLIC_PER_MINUTE') })
  @Max(1_000_000, { message: perMinute('RATE_LIMIT_PUBLIC_PER_MINUTE') })
  RATE_LIMIT_PUBLIC_PER_MINUTE?: number;
  @IsOptional()
  @IsInt({ message: perMinute('RATE_LIMIT_PAGE_HOLDS_PER_MINUTE') })
  @Min(1, { message: perMinute('RATE_LIMIT_PAGE_HOLDS_PER_MINUTE') })
  @Max(1_000_000, { message: perMinute('RATE_LIMIT_PAGE_HOLDS_PER_MINUTE') })
  RATE_LIMIT_PAGE_HOLDS_PER_MINUTE?: number;
  @IsOptional()
  @IsInt({ message: 'HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Min(100, { message: 'HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Max(600_000, {
    message: 'HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000',
  })
  HTTP_HEADERS_TIMEOUT_MS?: number;
  @IsOptional()
  @IsInt({ message: 'HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Min(100, { message: 'HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Max(600_000, {
    message: 'HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000',
  })
  HTTP_REQUEST_TIMEOUT_MS?: number;
  @IsOptional()
  @IsInt({ message: 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000' })
  @Min(100, {
    message: 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000',
  })
  @Max(600_000, {
    message: 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000',
  })
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;
  @IsOptional()
  @IsInt({ message: 'EMULATOR_PORT must be a port number from 0 to 65535' })
  @Min(0, { message: 'EMULATOR_PORT must be a port number from 0 to 65535' })
  @Max(65535, { message: 'EMULATOR_PORT must be a port number from 0 to 65535' })
  EMULATOR_PORT?: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Decodes TOKEN_ENCRYPTION_KEY: one or more base64 32-byte keys, comma-separated, newest first. */
export function parseEncryptionKeys(value: string): Buffer[] {
  return value.split(',').map((part) => {
    const key = Buffer.from(part.trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(['TOKEN_ENCRYPTION_KEY must be 32 bytes, base64-encoded']);
    return key;
  });
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((part) => part.trim())
    .join(',');
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true });
  const problems = validateSync(vars, { skipMissingProperties: false }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
  const hasId = Boolean(vars.MICROSOFT_CLIENT_ID);
  const hasSecret = Boolean(vars.MICROSOFT_CLIENT_SECRET);
  if (hasId !== hasSecret) {
    problems.push(
      'MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET must be set together (or both unset: sandbox)',
    );
  }
  const sandbox = !hasId && !hasSecret;
  if (!sandbox && !vars.OPERATOR_TOKEN) problems.push('OPERATOR_TOKEN is required outside sandbox mode');
  if (!sandbox && !vars.TOKEN_ENCRYPTION_KEY)
    problems.push('TOKEN_ENCRYPTION_KEY is required outside sandbox mode');
  let tokenEncryptionKeys: Buffer[] = [];
  if (vars.TOKEN_ENCRYPTION_KEY) {
    try {
      tokenEncryptionKeys = parseEncryptionKeys(vars.TOKEN_ENCRYPTION_KEY);
    } catch (error) {
      problems.push(...(error as ConfigError).problems);
    }
  }
  const http = {
    headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS ?? 10_000,
    requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS ?? 30_000,
    // Above the 60 s idle timeout of common load balancers, which must close an idle connection first
    // (Fastify's default for the same reason).
    keepAliveTimeoutMs: vars.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 72_000,
  };
  // Node refuses a headers timeout longer than the request's (the headers are part of the request).
  if (http.headersTimeoutMs > http.requestTimeoutMs)
    problems.push(
      `HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs})`,
    );
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? 3000;
  const dataDir = vars.DATA_DIR ?? './data';
  return {
    port,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir,
    database: vars.DATABASE_URL
      ? { kind: 'postgres', url: vars.DATABASE_URL, poolSize: vars.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZE }
      : { kind: 'pglite', dataDir },
    operatorToken: vars.OPERATOR_TOKEN ?? null,
    tokenEncryptionKeys,
    sandbox,
    // The sandbox's receivers are on this machine; in production a webhook must not reach the internal network.
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    webhookAllowPrivateNetworks: vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS
      ? vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true'
      : sandbox,
    logLevel: vars.LOG_LEVEL ?? 'info',
    rateLimit: {
      enabled: vars.RATE_LIMIT_ENABLED !== 'false',
      apiPerMinute: vars.RATE_LIMIT_API_PER_MINUTE ?? 1200,
      publicPerMinute: vars.RATE_LIMIT_PUBLIC_PER_MINUTE ?? 120,
      pageHoldsPerMinute: vars.RATE_LIMIT_PAGE_HOLDS_PER_MINUTE ?? 10,
    },
    http,
    metricsToken: vars.METRICS_TOKEN ?? null,
    microsoft: {
      clientId: vars.MICROSOFT_CLIENT_ID ?? null,
      clientSecret: vars.MICROSOFT_CLIENT_SECRET ?? null,
      authorityHost: (vars.MICROSOFT_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(
        /\/$/,
        '',
      ),
      graphUrl: (vars.MICROSOFT_GRAPH_URL ?? 'https://graph.microsoft.com').replace(/\/$/, ''),
      schedulesPerCall: vars.GRAPH_SCHEDULES_PER_CALL ?? 20,
    },
    emulatorPort: vars.EMULATOR_PORT ?? null,
  };
}
