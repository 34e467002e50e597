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

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

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
  logLevel: string;
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
}

class EnvironmentVariables {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
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
  @IsInt({ message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  @Min(1, { message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  @Max(100, { message: 'GRAPH_SCHEDULES_PER_CALL must be a whole number from 1 to 100' })
  GRAPH_SCHEDULES_PER_CALL?: number;
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
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? 3000;
  const dataDir = vars.DATA_DIR ?? './data';
  return {
    port,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir,
    database: vars.DATABASE_URL ? { kind: 'postgres', url: vars.DATABASE_URL } : { kind: 'pglite', dataDir },
    operatorToken: vars.OPERATOR_TOKEN ?? null,
    tokenEncryptionKeys,
    sandbox,
    // The sandbox's receivers are on this machine; in production a webhook must not reach the internal network.
    webhookAllowPrivateNetworks: vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS
      ? vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true'
      : sandbox,
    logLevel: vars.LOG_LEVEL ?? 'info',
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
  };
}
