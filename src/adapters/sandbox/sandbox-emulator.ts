// Sandbox mode's Microsoft 365: the bundled emulator, started in-process with its state kept in DATA_DIR
// (so a restart changes nothing people can see), on the port it had last time when that port is free;
// the service's real MSAL and Graph adapters are pointed at it (and trust its CA, injected).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@config/env.schema.js';
import { savedPort, startEmulator, type Emulator } from '../../../emulator/index.js';

/** Where the sandbox keeps the emulator's CA (for curl) and its state. */
export function sandboxEmulatorFiles(config: AppConfig): { caFile: string; stateFile: string } {
  return {
    caFile: join(config.dataDir, 'emulator-ca.pem'),
    stateFile: join(config.dataDir, 'emulator-state.json'),
  };
}

export const DEFAULT_EMULATOR_PORT = 8443;

export async function startSandboxEmulator(
  config: AppConfig,
): Promise<{ emulator: Emulator; config: AppConfig }> {
  const { caFile, stateFile } = sandboxEmulatorFiles(config);
  const options = {
    stateFile,
    demo: {
      redirectUris: [
        `${config.publicUrl}/oauth/microsoft/callback`,
        `${config.publicUrl}/oauth/microsoft/admin-consent/callback`,
      ],
    },
  };
  // The same address as last time keeps every URL Microsoft handed out (delta links, MSAL's cached
  // authority) valid; when it is taken, any free port (the sandbox then signs its members in again).
  const wanted = config.emulatorPort ?? savedPort(stateFile) ?? DEFAULT_EMULATOR_PORT;
  let emulator: Emulator;
  try {
    emulator = await startEmulator({ ...options, port: wanted });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' &&
      (error as NodeJS.ErrnoException).code !== 'EACCES'
    )
      throw error;
    emulator = await startEmulator({ ...options, port: 0 });
  }
  writeFileSync(caFile, emulator.caPem);
  const demo = emulator.demo!;
  return {
    emulator,
    config: {
      ...config,
      microsoft: {
        ...config.microsoft,
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        authorityHost: emulator.url,
        graphUrl: emulator.url,
        extraCaPem: emulator.caPem,
      },
    },
  };
}
