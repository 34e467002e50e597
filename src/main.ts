// Starts kailenty: validates the configuration, then the service (database, HTTP, and in sandbox mode the
// bundled Microsoft 365 and a ready demo workspace), prints how to use the sandbox, and stops on signals.
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@config/env.schema.js';
import { startService } from '@adapters/nest/start-service.js';

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
  const service = await startService(config);
  if (service.sandbox) console.log(service.sandbox.guide.text);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping…`);
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
