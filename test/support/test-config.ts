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
    logLevel: 'silent',
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
