// Builds the Nest application on Fastify, the same way for the real service and for e2e tests.
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, type AppOptions } from '../../app.module.js';
import { sendProblem } from '../http/problem-details.filter.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  // Body-parser failures (malformed JSON, oversize or unsupported bodies) happen before Nest's filters.
  fastify.setErrorHandler((error: Error, request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, request, error),
  );

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  await app.init();
  await fastify.ready();
  return app;
}
