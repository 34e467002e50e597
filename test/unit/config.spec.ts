// Configuration is validated at boot with messages that name the variable.
import { ConfigError, loadConfig } from '@config/env.schema.js';

describe('loadConfig', () => {
  it('starts in sandbox mode with nothing configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      sandbox: true,
      database: { kind: 'pglite', dataDir: './data' },
      microsoft: {
        authorityHost: 'https://login.microsoftonline.com',
        graphUrl: 'https://graph.microsoft.com',
      },
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
      poolSize: 20,
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', DATABASE_POOL_SIZE: '40' }).database,
    ).toMatchObject({ poolSize: 40 });
  });

  it('refuses a DATABASE_POOL_SIZE that is not a whole number from 1 to 1000, naming it', () => {
    for (const size of ['0', '1001', 'ten', '2.5']) {
      expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', DATABASE_POOL_SIZE: size })).toThrow(
        /DATABASE_POOL_SIZE must be a whole number from 1 to 1000/,
      );
    }
  });

  it('requires the operator token and encryption key outside the sandbox, and both Microsoft credentials together', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ MICROSOFT_CLIENT_ID: 'id' }).join('\n')).toMatch(
      /MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET/,
    );
    const missing = problems({ MICROSOFT_CLIENT_ID: 'id', MICROSOFT_CLIENT_SECRET: 's' }).join('\n');
    expect(missing).toMatch(/OPERATOR_TOKEN/);
    expect(missing).toMatch(/TOKEN_ENCRYPTION_KEY/);
    expect(problems({ TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }).join('\n')).toMatch(/32 bytes/);
    expect(problems({ PORT: 'eighty' }).join('\n')).toMatch(/PORT/);
    expect(problems({ EMULATOR_PORT: '70000' }).join('\n')).toMatch(/EMULATOR_PORT must be a port number/);
    expect(loadConfig({ EMULATOR_PORT: '0' }).emulatorPort).toBe(0);
    expect(loadConfig({}).emulatorPort).toBeNull();
    expect(problems({ DATABASE_URL: 'mysql://x' }).join('\n')).toMatch(/DATABASE_URL/);
    expect(problems({ MICROSOFT_GRAPH_URL: 'http://127.0.0.1:8443' }).join('\n')).toMatch(
      /MICROSOFT_GRAPH_URL/,
    );
  });

  it('lets webhooks reach private networks in the sandbox only, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS says', () => {
    const production = {
      MICROSOFT_CLIENT_ID: 'id',
      MICROSOFT_CLIENT_SECRET: 's',
      OPERATOR_TOKEN: 'operator-token-0123456789',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    };
    expect(loadConfig(production).webhookAllowPrivateNetworks).toBe(false);
    expect(loadConfig({}).webhookAllowPrivateNetworks).toBe(true);
    expect(
      loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhookAllowPrivateNetworks,
    ).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }).webhookAllowPrivateNetworks).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false/,
    );
  });

  it('accepts several comma-separated encryption keys, newest first', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({ TOKEN_ENCRYPTION_KEY: `${k1},${k2}` });
    expect(config.tokenEncryptionKeys.map((k) => k[0])).toEqual([1, 2]);
  });

  it('batches 20 schedules per getSchedule call unless GRAPH_SCHEDULES_PER_CALL says, from 1 to 100', () => {
    expect(loadConfig({}).microsoft.schedulesPerCall).toBe(20);
    expect(loadConfig({ GRAPH_SCHEDULES_PER_CALL: '100' }).microsoft.schedulesPerCall).toBe(100);
    for (const bad of ['0', '101', '2.5', 'many']) {
      expect(() => loadConfig({ GRAPH_SCHEDULES_PER_CALL: bad })).toThrow(/GRAPH_SCHEDULES_PER_CALL/);
    }
  });
  it('rate-limits 1200 requests a minute per API key, 120 per address and 10 page holds per address unless the RATE_LIMIT_* variables say', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      enabled: true,
      apiPerMinute: 1200,
      publicPerMinute: 120,
      pageHoldsPerMinute: 10,
    });
    expect(
      loadConfig({
        RATE_LIMIT_ENABLED: 'false',
        RATE_LIMIT_API_PER_MINUTE: '6000',
        RATE_LIMIT_PUBLIC_PER_MINUTE: '30',
        RATE_LIMIT_PAGE_HOLDS_PER_MINUTE: '4',
      }).rateLimit,
    ).toEqual({ enabled: false, apiPerMinute: 6000, publicPerMinute: 30, pageHoldsPerMinute: 4 });
    expect(() => loadConfig({ RATE_LIMIT_ENABLED: 'off' })).toThrow(
      /RATE_LIMIT_ENABLED must be true or false/,
    );
    for (const name of [
      'RATE_LIMIT_API_PER_MINUTE',
      'RATE_LIMIT_PUBLIC_PER_MINUTE',
      'RATE_LIMIT_PAGE_HOLDS_PER_MINUTE',
    ]) {
      for (const bad of ['0', '-5', '1.5', 'lots', '1000001']) {
        expect(() => loadConfig({ [name]: bad })).toThrow(
          new RegExp(`${name} must be a whole number from 1 to 1000000`),
        );
      }
    }
  });

  it('cuts slow clients: 10 s for the headers, 30 s for the whole request, 72 s of keep-alive, each settable', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
    });
    expect(
      loadConfig({
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '5000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      }).http,
    ).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 5000, keepAliveTimeoutMs: 65_000 });
    for (const name of ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS'])
      for (const bad of ['99', '600001', '1.5', 'soon'])
        expect(() => loadConfig({ [name]: bad })).toThrow(new RegExp(`${name} must be a whole number`));
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS \(40000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(30000\)/,
    );
  });

  it('trusts no proxy unless TRUST_PROXY names them (the client address keys rate limits and the audit trail)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    for (const bad of ['yes', 'proxy.example.com', '10.0.0.0/8;rm']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be/);
    }
  });

  it('leaves /metrics open unless METRICS_TOKEN is set, at least 16 characters', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'scraper-token-0123456789' }).metricsToken).toBe(
      'scraper-token-0123456789',
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN must be at least 16 characters/,
    );
  });
});
