// How long a client may take to send its request, and the answers given before a request reaches Nest (too
// slow, headers too large, not HTTP at all, an unusable URL), written as problem+json like every other error.
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyHttpOptions, FastifyReply, FastifyRequest } from 'fastify';
import { httpProblem, sendProblem } from './problem-details.filter.js';
import { BARE_RESPONSE_HEADERS } from './security-headers.js';

export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * Fastify server options for the limits. Node checks the headers and request timeouts only every
 * `connectionsCheckingInterval` (30 s by default, so a 10 s limit would really be up to 40 s): the check
 * runs ten times per the shorter timeout here, at most once a second, so a slow client is cut at most 10%
 * (or 1 s) late. Only receiving the request is timed: a handler that takes long to answer is not cut.
 */
export function httpLimitOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  const shorter = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(shorter / 10))),
    },
    // Fastify sets these on the server after creating it (its defaults would undo the `http` ones).
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  };
}

/** Node's errors on a connection whose request could not be read, as problems. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time.'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are larger than this service accepts.'],
};

/**
 * Node emits `clientError` and answers on the socket itself, before Fastify sees a request: too slow
 * (headers or request timeout), headers too large (Node's `maxHeaderSize`), or not parseable as HTTP.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection (e.g. an early 413 while the body still arrives)
  // cannot be followed by another one: the connection just ends.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP.'];
  const body = JSON.stringify(httpProblem(status, detail));
  const headers = {
    ...BARE_RESPONSE_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`, () =>
    socket.destroy(),
  );
}

/** The router's own refusals (a URL that does not decode, a path parameter over its length): no hook runs. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.headers(BARE_RESPONSE_HEADERS);
  sendProblem(reply, request, error);
}
