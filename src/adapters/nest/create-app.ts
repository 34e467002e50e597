// Builds the Nest application on Fastify, the same way for the real service and for e2e tests.
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, type AppOptions } from '../../app.module.js';
import { Metrics } from '../observability/metrics.js';
import { measureHttpRequests } from '../observability/http-metrics.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface CreateAppOptions extends AppOptions {
  /** The Swagger UI pages (not the OpenAPI JSON). Jest's ESM sandbox cannot load their static-file plugin. */
  swaggerUi?: boolean;
  /** Runs after the providers exist and before `app.init()` (lifecycle hooks, timers): tests switch jobs off here. */
  beforeInit?: (app: NestFastifyApplication) => void | Promise<void>;
}

export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config: options.config, orm: options.orm, logDestination: options.logDestination }),
    adapter,
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-request-id', request.id);
  });
  measureHttpRequests(fastify, app.get(Metrics));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('kailenty')
      .setDescription('Scheduling on Microsoft 365: availability, bookings with Teams, two-way Outlook sync.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Workspace API key (kly_…)' }, 'apiKey')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN' }, 'operator')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerUiEnabled: options.swaggerUi ?? true,
  });

  await options.beforeInit?.(app);
  await app.init();
  await fastify.ready();
  return app;
}
