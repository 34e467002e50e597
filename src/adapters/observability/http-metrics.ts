// Times every HTTP request into the request-duration histogram, labelled with the route pattern Fastify
// matched (`/v1/bookings/:id`), never the raw URL: ids in paths would make a series per booking.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

export function measureHttpRequests(fastify: FastifyInstance, metrics: Metrics): void {
  // A callback hook, not an async one: no promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
