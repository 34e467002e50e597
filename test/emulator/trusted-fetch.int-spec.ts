// How the service trusts the emulator's certificate: a CA injected into the adapters (tests, sandbox) or
// NODE_EXTRA_CA_CERTS (API.md: "TLS to those hosts trusts the system roots plus NODE_EXTRA_CA_CERTS").
// The two must add up: an injected CA must not drop what NODE_EXTRA_CA_CERTS trusts.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { createTrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';

const run = promisify(execFile);
let emu: Emulator;
let other: Emulator;
let dir: string;

beforeAll(async () => {
  [emu, other] = await Promise.all([startEmulator(), startEmulator()]);
  dir = mkdtempSync(join(tmpdir(), 'kailenty-ca-'));
  writeFileSync(join(dir, 'emulator-ca.pem'), emu.caPem);
});
afterAll(() => Promise.all([emu.close(), other.close()]));

/** Fetches the emulator's openid-configuration from a fresh Node process started with `env`. */
async function fetchInChild(env: NodeJS.ProcessEnv, extraCaPem?: string): Promise<string> {
  const module = resolve('src/adapters/microsoft/http/trusted-fetch.ts');
  const script = `
    const { createTrustedFetch } = await import(${JSON.stringify(module)});
    const fetch = createTrustedFetch(${JSON.stringify(extraCaPem === undefined ? {} : { extraCaPem })});
    try { const res = await fetch(${JSON.stringify(`${emu.authority}/v2.0/.well-known/openid-configuration`)}); console.log(res.status); }
    catch (e) { console.log('failed: ' + (e.cause?.code ?? e.message)); }`;
  const { stdout } = await run(
    process.execPath,
    ['--no-warnings', '--experimental-strip-types', '--input-type=module', '-e', script],
    { env: { PATH: process.env.PATH, ...env } },
  );
  return stdout.trim();
}

describe('trusting the emulator', () => {
  it('works with the CA injected, and fails without it (verification is never off)', async () => {
    const url = `${emu.authority}/v2.0/.well-known/openid-configuration`;
    expect((await createTrustedFetch({ extraCaPem: emu.caPem })(url)).status).toBe(200);
    await expect(createTrustedFetch({ extraCaPem: other.caPem })(url)).rejects.toThrow();
  });

  it('honours NODE_EXTRA_CA_CERTS alone, as API.md says', async () => {
    expect(await fetchInChild({ NODE_EXTRA_CA_CERTS: join(dir, 'emulator-ca.pem') })).toBe('200');
    expect(await fetchInChild({})).toMatch(/^failed/);
  });

  it('keeps NODE_EXTRA_CA_CERTS when another CA is injected too', async () => {
    expect(await fetchInChild({ NODE_EXTRA_CA_CERTS: join(dir, 'emulator-ca.pem') }, other.caPem)).toBe(
      '200',
    );
  });
});
