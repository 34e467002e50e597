// Starts kailenty: validates the configuration, opens and migrates the database, starts HTTP, and in
// sandbox mode (no Microsoft app configured) prepares a demo workspace and prints how to use it.
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@config/env.schema.js';
import { createOrm, migrate } from '@adapters/persistence/orm.js';
import { createApp } from '@adapters/nest/create-app.js';
import { prepareSandboxSecrets, seedSandbox } from '@adapters/sandbox/sandbox.js';
import { startSandboxEmulator } from '@adapters/sandbox/sandbox-emulator.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  let emulator: Awaited<ReturnType<typeof startSandboxEmulator>>['emulator'] | null = null;
  if (config.sandbox) {
    config = prepareSandboxSecrets(config);
    ({ emulator, config } = await startSandboxEmulator(config));
  }

  const orm = await createOrm(config.database);
  await migrate(orm);
  const app = await createApp({ config, orm });
  await app.listen({ port: config.port, host: '0.0.0.0' });

  if (emulator) await seedSandbox(app, config, emulator);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping…`);
    await app.close();
    await orm.close();
    await emulator?.close();
    process.exit(0);
  };
  // Nest's shutdown hooks close the app; the ORM is ours to close after it.
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
