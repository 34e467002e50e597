// Sandbox mode: with no Microsoft app configured, the service makes its own secrets (kept in DATA_DIR),
// a demo workspace, and prints ready-to-run curl lines, so a newcomer can try it with no setup at all.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@config/env.schema.js';
import { SERVICE } from '@domain/audit/audit-event.js';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import type { Emulator } from '../../../emulator/index.js';
import { SandboxWorkspace } from './sandbox-workspace.js';

/** Demo members, matching accounts of the emulator's Contoso tenant. */
const DEMO_MEMBERS = [
  { key: 'adele', displayName: 'Adele Vance', role: 'admin' as const, note: 'Teams, Pacific time' },
  { key: 'megan', displayName: 'Megan Bowen', role: 'member' as const, note: 'Teams, Central Europe' },
  {
    key: 'alex',
    displayName: 'Alex Wilber',
    role: 'member' as const,
    note: 'no Teams licence, Eastern time',
  },
];

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
export async function seedSandbox(
  app: INestApplication,
  config: AppConfig,
  emulator: Emulator,
): Promise<SandboxFile> {
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
      .execute({ name: 'Demo workspace', returnUrl: `${config.publicUrl}/sandbox/return`, by: SERVICE });
    workspaceId = created.workspace.id;
    apiKey = created.apiKey;
  }
  app.get(SandboxWorkspace).set(workspaceId);
  const members: Record<string, string> = {};
  const repository = app.get(MemberRepository);
  for (const demo of DEMO_MEMBERS) {
    const mail = emulator.demo!.users[demo.key as keyof NonNullable<Emulator['demo']>['users']].mail;
    let member = await repository.findByEmail(workspaceId, mail);
    if (!member) {
      member = await app
        .get(AddMember)
        .execute({ workspaceId, email: mail, displayName: demo.displayName, role: demo.role, by: SERVICE });
      await app
        .get(UpdateMember)
        .execute({ workspaceId, memberId: member.id, changes: { status: 'active' }, by: SERVICE });
    }
    members[demo.key] = member.id;
  }
  const file: SandboxFile = {
    ...previous,
    operatorToken: config.operatorToken!,
    apiKey,
    workspaceId,
    baseUrl: config.publicUrl,
    members,
    emulator: { url: emulator.url, caFile: join(config.dataDir, 'emulator-ca.pem') },
  };
  writeFileSync(sandboxPath(config), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  printWelcome(file, config, members);
  return file;
}

function printWelcome(file: SandboxFile, config: AppConfig, members: Record<string, string>): void {
  const b = file.baseUrl;
  const emu = file.emulator as { url: string; caFile: string };
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
    '',
    `  Microsoft 365 is the bundled emulator at ${emu.url} (CA: ${emu.caFile}); demo members:`,
    ...DEMO_MEMBERS.map((d) => `    ${d.key.padEnd(6)} ${members[d.key]}  (${d.note})`),
    '  Connect one (the emulator signs the member in; a browser works too, after accepting the certificate):',
    `    curl -sL --cacert ${emu.caFile} ${b}/sandbox/connect/${members.adele}`,
    `    curl -s -H "Authorization: Bearer ${file.apiKey}" ${b}/v1/members/${members.adele}/microsoft-connection`,
    "  Change Outlook behind kailenty's back (an event in Adele's calendar):",
    `    curl -s --cacert ${emu.caFile} -X POST -H 'content-type: application/json' \\`,
    `      -d '{"userId":"adele.vance@contoso.com","subject":"Dentist","start":"${tomorrow(10)}","end":"${tomorrow(11)}"}' ${emu.url}/_emulator/events`,
    `  Emulator control surface: ${emu.url}/_emulator (see emulator/README.md)`,
    `  API docs: ${b}/docs  (OpenAPI: ${b}/docs-json)`,
    '',
  ];
  console.log(lines.join('\n'));
}

function tomorrow(hourUtc: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
}
