// Starts the real Nest application over loopback HTTP on a test database, and gives helpers to call it.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { AppConfig } from '@config/env.schema.js';
import type { LogDestination } from '@adapters/nest/logging.module.js';
import { createApp } from '@adapters/nest/create-app.js';
import { WebhookJobsOptions } from '@adapters/jobs/webhook-jobs.js';
import { BookingJobsOptions } from '@adapters/jobs/booking-jobs.js';
import { ChangeNotificationJobsOptions } from '@adapters/jobs/change-notification-jobs.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_OPERATOR_TOKEN, testConfig } from './test-config.js';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Creates a workspace through the operator API and returns its id and API key. */
  workspace(name?: string): Promise<{ id: string; apiKey: string; apiKeyId: string; returnUrl: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Background webhook timers; off by default: tests drive `app.get(WebhookJobs).runOnce()` themselves. */
  webhookJobs?: boolean;
  /** Background calendar-sync and reminder timers; off by default: tests drive `BookingJobs` themselves. */
  bookingJobs?: boolean;
  /** Graph notification worker and subscription renewal timers; off by default (`ChangeNotificationJobs`). */
  notificationJobs?: boolean;
  /** Runs before `app.init()`, e.g. to steer the app's Clock. */
  beforeInit?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Log lines go here instead of stdout; only the first app of a test file decides (see LoggingModule). */
  logDestination?: LogDestination;
}

export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  db?: TestDatabase,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const app = await createApp({
    config: testConfig(overrides),
    orm: database.orm,
    swaggerUi: false,
    logDestination: options.logDestination,
    beforeInit: async (app) => {
      app.get(WebhookJobsOptions).enabled = options.webhookJobs ?? false;
      app.get(BookingJobsOptions).enabled = options.bookingJobs ?? false;
      app.get(ChangeNotificationJobsOptions).enabled = options.notificationJobs ?? false;
      await options.beforeInit?.(app);
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = app.getHttpServer();
  let counter = 0;
  return {
    app,
    db: database,
    http: () => request(server),
    async workspace(name = `Workspace ${++counter}`) {
      const returnUrl = `https://product-${counter}.example.com/return`;
      const res = await request(server)
        .post('/v1/workspaces')
        .set('Authorization', `Bearer ${TEST_OPERATOR_TOKEN}`)
        .send({ name, returnUrl });
      if (res.status !== 201)
        throw new Error(`workspace creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, apiKey: res.body.apiKey, apiKeyId: res.body.apiKeyId, returnUrl };
    },
    async close() {
      await app.close();
      if (!db) await database.close();
    },
  };
}
