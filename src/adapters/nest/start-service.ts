// Starts kailenty as `npm start` does: the database (opened and migrated), HTTP, and in sandbox mode the
// bundled Microsoft 365 emulator and the ready demo workspace. main.ts runs it; tests that need the real
// bootstrap (the sandbox's restart) run it too.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '@config/env.schema.js';
import { createOrm, migrate } from '../persistence/orm.js';
import { prepareSandbox, prepareSandboxSecrets, type SandboxStart } from '../sandbox/sandbox.js';
import { startSandboxEmulator } from '../sandbox/sandbox-emulator.js';
import { sandboxGuide, type SandboxGuide } from '../sandbox/sandbox-guide.js';
import type { Emulator } from '../../../emulator/index.js';
import { BookingJobs, BookingJobsOptions } from '../jobs/booking-jobs.js';
import { ChangeNotificationJobs, ChangeNotificationJobsOptions } from '../jobs/change-notification-jobs.js';
import { WebhookJobs, WebhookJobsOptions } from '../jobs/webhook-jobs.js';
import { createApp } from './create-app.js';

const JOBS = [
  [WebhookJobs, WebhookJobsOptions],
  [BookingJobs, BookingJobsOptions],
  [ChangeNotificationJobs, ChangeNotificationJobsOptions],
] as const;

export interface RunningService {
  app: NestFastifyApplication;
  orm: MikroORM;
  /** The configuration in force (in sandbox: with the generated secrets and the emulator's hosts). */
  config: AppConfig;
  /** Sandbox mode only. */
  emulator: Emulator | null;
  sandbox: (SandboxStart & { guide: SandboxGuide }) | null;
  /** Stops HTTP and the jobs, then the database, then the emulator (which saves its state). */
  close(): Promise<void>;
}

export async function startService(
  initial: AppConfig,
  options: { swaggerUi?: boolean; host?: string } = {},
): Promise<RunningService> {
  let config = initial;
  let emulator: Emulator | null = null;
  if (config.sandbox) {
    config = prepareSandboxSecrets(config);
    ({ emulator, config } = await startSandboxEmulator(config));
  }
  let orm: MikroORM | null = null;
  let app: NestFastifyApplication | null = null;
  const close = async () => {
    await app?.close();
    await orm?.close();
    await emulator?.close();
  };
  try {
    orm = await createOrm(config.database);
    await migrate(orm);
    // In sandbox the background jobs wait for the members to be signed in: before that, tokens of a
    // Microsoft 365 that started afresh or moved would be refused, and a job would mark them revoked.
    const held: (readonly [(typeof JOBS)[number][0], { enabled: boolean }])[] = [];
    app = await createApp({
      config,
      orm,
      swaggerUi: options.swaggerUi,
      beforeInit: (created) => {
        if (!emulator) return;
        for (const [jobs, Options] of JOBS) {
          const settings = created.get(Options);
          if (settings.enabled) held.push([jobs, settings]);
          settings.enabled = false;
        }
      },
    });
    await app.listen({ port: config.port, host: options.host ?? '0.0.0.0' });
    let sandbox: RunningService['sandbox'] = null;
    if (emulator) {
      // The members' sign-in needs the service listening: Graph validates its notification URL.
      const start = await prepareSandbox(app, config, emulator);
      sandbox = { ...start, guide: await sandboxGuide(app, config, start) };
      for (const [jobs, settings] of held) {
        settings.enabled = true;
        app.get(jobs).start();
      }
    }
    return { app, orm, config, emulator, sandbox, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
