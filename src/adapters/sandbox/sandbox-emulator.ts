// Sandbox mode's Microsoft 365: the bundled emulator, started in-process and seeded with the demo tenant;
// the service's real MSAL and Graph adapters are pointed at it (and trust its CA, injected).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@config/env.schema.js';
import { startEmulator, type Emulator } from '../../../emulator/index.js';

export async function startSandboxEmulator(
  config: AppConfig,
): Promise<{ emulator: Emulator; config: AppConfig }> {
  const options = {
    demo: {
      redirectUris: [
        `${config.publicUrl}/oauth/microsoft/callback`,
        `${config.publicUrl}/oauth/microsoft/admin-consent/callback`,
      ],
    },
  };
  const wanted = Number(process.env.EMULATOR_PORT ?? 8443);
  let emulator: Emulator;
  try {
    emulator = await startEmulator({ ...options, port: wanted });
  } catch {
    emulator = await startEmulator({ ...options, port: 0 });
  }
  writeFileSync(join(config.dataDir, 'emulator-ca.pem'), emulator.caPem);
  const demo = emulator.demo!;
  return {
    emulator,
    config: {
      ...config,
      microsoft: {
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        authorityHost: emulator.url,
        graphUrl: emulator.url,
        extraCaPem: emulator.caPem,
      },
    },
  };
}
