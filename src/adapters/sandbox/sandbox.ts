// Sandbox mode: with no Microsoft app configured, the service makes its own secrets (kept in DATA_DIR),
// a demo workspace, and prints ready-to-run curl lines, so a newcomer can try it with no setup at all.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@config/env.schema.js';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';

export interface SandboxFile {
  operatorToken: string;
  apiKey: string;
  workspaceId: string;
  baseUrl: string;
  [more: string]: unknown;
}

function sandboxPath(config: AppConfig): string {
  return join(config.dataDir, 'sandbox.json');
}

export function readSandboxFile(config: AppConfig): Partial<SandboxFile> {
  const path = sandboxPath(config);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxFile>;
  } catch {
    return {};
  }
}

/** Fills in the operator token and the token encryption key, generated once and kept in DATA_DIR. */
export function prepareSandboxSecrets(config: AppConfig): AppConfig {
  mkdirSync(config.dataDir, { recursive: true });
  const previous = readSandboxFile(config);
  const operatorToken =
    config.operatorToken ?? previous.operatorToken ?? `op_${randomBytes(24).toString('base64url')}`;
  let tokenEncryptionKeys = config.tokenEncryptionKeys;
  if (tokenEncryptionKeys.length === 0) {
    const keyPath = join(config.dataDir, 'token-encryption.key');
    if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString('base64'), { mode: 0o600 });
    tokenEncryptionKeys = [Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64')];
  }
  return { ...config, operatorToken, tokenEncryptionKeys };
}

/** Creates the demo workspace once (or finds it again), writes sandbox.json and prints how to start. */
export async function seedSandbox(app: INestApplication, config: AppConfig): Promise<SandboxFile> {
  const previous = readSandboxFile(config);
  const authenticate = app.get(AuthenticateApiKey);
  let workspaceId: string | undefined;
  let apiKey: string | undefined;
  if (previous.apiKey && previous.workspaceId) {
    try {
      const found = await authenticate.execute(previous.apiKey);
      if (found.workspaceId === previous.workspaceId) ({ workspaceId, apiKey } = previous);
    } catch {
      // The database was reset or the key revoked: make a new demo workspace below.
    }
  }
  if (!workspaceId || !apiKey) {
    const created = await app
      .get(CreateWorkspace)
      .execute({ name: 'Demo workspace', returnUrl: `${config.publicUrl}/sandbox/return` });
    workspaceId = created.workspace.id;
    apiKey = created.apiKey;
  }
  const file: SandboxFile = {
    ...previous,
    operatorToken: config.operatorToken!,
    apiKey,
    workspaceId,
    baseUrl: config.publicUrl,
  };
  writeFileSync(sandboxPath(config), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  printWelcome(file, config);
  return file;
}

function printWelcome(file: SandboxFile, config: AppConfig): void {
  const b = file.baseUrl;
  const lines = [
    '',
    '  kailenty is running in SANDBOX mode (no MICROSOFT_CLIENT_ID/SECRET configured).',
    `  Database: ${config.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  Written to ${sandboxPath(config)}:`,
    `    operator token  ${file.operatorToken}`,
    `    demo API key    ${file.apiKey}`,
    `    workspace id    ${file.workspaceId}`,
    '',
    '  Try:',
    `    curl -s ${b}/health`,
    `    curl -s -H "Authorization: Bearer ${file.apiKey}" ${b}/v1/members`,
    `    curl -s -X POST -H "Authorization: Bearer ${file.apiKey}" -H 'content-type: application/json' \\`,
    `      -d '{"email":"adele@contoso.com","displayName":"Adele Vance","role":"member"}' ${b}/v1/members`,
    `    curl -s -X POST -H "Authorization: Bearer ${file.operatorToken}" -H 'content-type: application/json' \\`,
    `      -d '{"name":"Acme","returnUrl":"https://acme.test/return"}' ${b}/v1/workspaces`,
    `  API docs: ${b}/docs  (OpenAPI: ${b}/docs-json)`,
    '',
  ];
  console.log(lines.join('\n'));
}
