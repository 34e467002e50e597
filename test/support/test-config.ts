// A complete configuration for tests, without reading the environment.
import type { AppConfig } from '@config/env.schema.js';

export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    publicUrl: 'http://127.0.0.1:3000',
    dataDir: 'memory://',
    database: { kind: 'pglite', dataDir: 'memory://' },
    operatorToken: TEST_OPERATOR_TOKEN,
    tokenEncryptionKeys: [Buffer.alloc(32, 7)],
    sandbox: false,
    // Test receivers listen on 127.0.0.1.
    webhookAllowPrivateNetworks: true,
    // Tests play the proxy: each names its client address in X-Forwarded-For.
    trustProxy: true,
    logLevel: 'silent',
    // On, so that every e2e test runs through the limiter, but far above what any test sends: the
    // rate-limit tests set low limits themselves.
    rateLimit: {
      enabled: true,
      apiPerMinute: 1_000_000,
      publicPerMinute: 1_000_000,
      pageHoldsPerMinute: 1_000_000,
    },
    http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000 },
    microsoft: {
      clientId: 'kailenty-test-client',
      clientSecret: 'kailenty-test-secret',
      authorityHost: 'https://127.0.0.1:1',
      graphUrl: 'https://127.0.0.1:1',
    },
    ...overrides,
  };
}
