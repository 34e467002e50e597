// An app reachable by the emulator's notifications: PUBLIC_URL must be the test server's real address, so
// the port is chosen before the app starts (and the emulator's demo app registers redirect URIs on it).
import { createServer } from 'node:net';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@adapters/nest/create-app.js';
import { WebhookJobsOptions } from '@adapters/jobs/webhook-jobs.js';
import { BookingJobsOptions } from '@adapters/jobs/booking-jobs.js';
import { ChangeNotificationJobsOptions } from '@adapters/jobs/change-notification-jobs.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { createTestDatabase } from './database.js';
import { TEST_OPERATOR_TOKEN, testConfig } from './test-config.js';
import type { TestApp } from './test-app.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface NotifiedSetup {
  emu: Emulator;
  t: TestApp;
  publicUrl: string;
}

/** The emulator (demo seed, redirect URIs on the chosen port) and the app listening on that port. */
export async function startNotifiedApp(
  options: {
    weeks?: number;
    limits?: EmulatorOptions['limits'];
    beforeInit?: (app: NestFastifyApplication) => void | Promise<void>;
  } = {},
): Promise<NotifiedSetup> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const emu = await startEmulator({
    limits: options.limits,
    demo: {
      redirectUris: [
        `${publicUrl}/oauth/microsoft/callback`,
        `${publicUrl}/oauth/microsoft/admin-consent/callback`,
      ],
      weeks: options.weeks ?? 1,
    },
  });
  const db = await createTestDatabase();
  const app = await createApp({
    config: testConfig({
      publicUrl,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      microsoft: {
        clientId: DEMO.clientId,
        clientSecret: DEMO.clientSecret,
        authorityHost: emu.url,
        graphUrl: emu.url,
        extraCaPem: emu.caPem,
      },
    }),
    orm: db.orm,
    swaggerUi: false,
    beforeInit: async (app) => {
      app.get(WebhookJobsOptions).enabled = false;
      app.get(BookingJobsOptions).enabled = false;
      app.get(ChangeNotificationJobsOptions).enabled = false;
      await options.beforeInit?.(app);
    },
  });
  await app.listen({ port, host: '127.0.0.1' });
  const server = app.getHttpServer();
  let counter = 0;
  const t: TestApp = {
    app,
    db,
    http: () => request(server),
    async workspace(name = `Workspace ${++counter}`) {
      const returnUrl = `https://product-${counter}.example.com/return`;
      const res = await request(server)
        .post('/v1/workspaces')
        .set('Authorization', `Bearer ${TEST_OPERATOR_TOKEN}`)
        .send({ name, returnUrl });
      if (res.status !== 201) throw new Error(`workspace: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, apiKey: res.body.apiKey, apiKeyId: res.body.apiKeyId, returnUrl };
    },
    async close() {
      await app.close();
      await db.close();
      await emu.close();
    },
  };
  return { emu, t, publicUrl };
}
