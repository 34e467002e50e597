// Builds the Nest application on Fastify, the same way for the real service and for e2e tests.
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { inRequestScope, requestWrote } from '../persistence/request-writes.js';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, type AppOptions } from '../../app.module.js';
import { registerRateLimits } from '../http/rate-limit.js';
import { httpLimitOptions } from '../http/http-limits.js';
import { registerSecurityHeaders } from '../http/security-headers.js';
import { installJsonBodyParser } from '../http/request-body.js';
import { Metrics } from '../observability/metrics.js';
import { measureHttpRequests } from '../observability/http-metrics.js';
import { describeApi } from '../http/openapi.js';

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
    // A hop count is valid for Fastify (proxy-addr) though the adapter's type leaves it out.
    trustProxy: options.config.trustProxy as boolean | string,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ...httpLimitOptions(options.config.http),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config: options.config, orm: options.orm, logDestination: options.logDestination }),
    adapter,
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  // Before any route exists (the OpenAPI routes below, the controllers at init): it hooks each one.
  await registerRateLimits(app, options.config.rateLimit);

  installJsonBodyParser(app, BODY_LIMIT_BYTES);
  const fastify = app.getHttpAdapter().getInstance();
  // Before any route exists (Swagger's below, the controllers' at init): the headers apply per route.
  await registerSecurityHeaders(fastify, { publicUrl: options.config.publicUrl });
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // A request that wrote is answered once every instance's read cache has heard of its writes.
  const reads = app.get(WorkspaceReadCache);
  fastify.addHook('onRequest', (_request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    inRequestScope(done);
  });
  fastify.addHook('onSend', async (_request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    if (requestWrote()) await reads.settled();
    return payload;
  });
  measureHttpRequests(fastify, app.get(Metrics));

  const document = describeApi(app, options.config.publicUrl);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerUiEnabled: options.swaggerUi ?? true,
  });

  await options.beforeInit?.(app);
  await app.init();
  await fastify.ready();
  return app;
}
