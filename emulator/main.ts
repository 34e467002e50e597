// `npm run emulator`: the emulator as a standalone process, seeded with the demo tenant, for scripts and
// for people who want to try kailenty's Microsoft side with curl.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmulator } from './emulator.js';

const port = Number(process.env.EMULATOR_PORT ?? 8443);
const host = process.env.EMULATOR_HOST ?? '127.0.0.1';
const caFile = resolve(process.env.EMULATOR_CA_FILE ?? 'emulator-ca.pem');
const publicUrl = process.env.PUBLIC_URL ?? 'http://localhost:3000';
// With a state file, what the emulator holds (tenants, users, events, tokens…) survives a restart.
const stateFile = process.env.EMULATOR_STATE_FILE ? resolve(process.env.EMULATOR_STATE_FILE) : undefined;

const emulator = await startEmulator({
  host,
  port,
  stateFile,
  demo: {
    redirectUris: [
      `${publicUrl}/oauth/microsoft/callback`,
      `${publicUrl}/oauth/microsoft/admin-consent/callback`,
    ],
  },
});
writeFileSync(caFile, emulator.caPem);
const demo = emulator.demo!;
const lines = [
  `Microsoft 365 emulator listening on ${emulator.url}`,
  `  State:                 ${stateFile ? `${stateFile} (${emulator.restored ? 'restored' : 'new'})` : 'in memory (set EMULATOR_STATE_FILE to keep it)'}`,
  `  CA certificate:        ${caFile}  (trust it: curl --cacert, or inject it into the service)`,
  `  Authority (members):   ${emulator.authority}   knownAuthorities: ["${emulator.hostAndPort}"]`,
  `  Graph base URL:        ${emulator.graphUrl}/v1.0`,
  `  App client id/secret:  ${demo.clientId} / ${demo.clientSecret}`,
  `  Redirect URIs:         ${demo.redirectUris.join(', ')}`,
  `  Tenant Contoso:        ${demo.tenantId} (user consent allowed); Fabrikam: ${demo.otherTenantId} (admin consent required)`,
  `  Users:                 ${Object.values(demo.users)
    .map((u) => u.mail)
    .join(', ')}`,
  `  Control surface:       ${emulator.url}/_emulator  (see emulator/README.md)`,
  `  Try:                   curl --cacert ${caFile} ${emulator.url}/organizations/v2.0/.well-known/openid-configuration`,
];
console.log(lines.join('\n'));

const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
