// The real application over loopback HTTP, as createApp builds it, with Microsoft 365 free/busy and the
// clock replaced by hand-set fakes, plus a helper that records members' Microsoft connections.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { BODY_LIMIT_BYTES } from '@adapters/nest/create-app.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { MikroOrmMicrosoftConnectionRepository } from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { Clock } from '@application/ports/clock.js';
import { FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import type { ConnectionStatus } from '@domain/connection/microsoft-connection.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_OPERATOR_TOKEN, testConfig } from './test-config.js';
import { aConnection } from '../builders/availability.builder.js';

export interface AvailabilityTestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  freeBusy: FakeFreeBusyGateway;
  clock: FixedClock;
  http: () => ReturnType<typeof request>;
  workspace(): Promise<{ id: string; apiKey: string }>;
  /** Records a Microsoft connection for the member, as a sign-in would. */
  connect(
    workspaceId: string,
    memberId: string,
    options: { mailbox: string; timeZone?: string | null; teamsEnabled?: boolean; status?: ConnectionStatus },
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startAvailabilityTestApp(now = '2026-12-01T07:00:00Z'): Promise<AvailabilityTestApp> {
  const db = await createTestDatabase();
  const freeBusy = new FakeFreeBusyGateway();
  const clock = new FixedClock(now);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config: testConfig(), orm: db.orm })],
  })
    .overrideProvider(FreeBusyGateway)
    .useValue(freeBusy)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    { logger: false },
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('kailenty')
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'apiKey')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerUiEnabled: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = app.getHttpServer();
  const connections = new MikroOrmMicrosoftConnectionRepository(db.orm.em);
  let counter = 0;
  return {
    app,
    db,
    freeBusy,
    clock,
    http: () => request(server),
    async workspace() {
      counter += 1;
      const res = await request(server)
        .post('/v1/workspaces')
        .set('Authorization', `Bearer ${TEST_OPERATOR_TOKEN}`)
        .send({
          name: `Availability ${counter}`,
          returnUrl: `https://product-${counter}.example.com/return`,
        });
      if (res.status !== 201) throw new Error(`workspace: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, apiKey: res.body.apiKey };
    },
    async connect(workspaceId, memberId, options) {
      await connections.save(aConnection({ workspaceId, memberId, ...options }));
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
