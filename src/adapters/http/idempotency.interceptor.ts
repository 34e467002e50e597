// Idempotency-Key on every create: the first response is stored and replayed for the same key and body.
// "First response" includes a 4xx the handler decided (409 SLOT_UNAVAILABLE, 404, a 400 of the use case…):
// a retry gets that answer again, never a different outcome. The key is released, so a retry runs afresh,
// when nothing was decided: the request was refused by a pipe before its handler ran (body or path
// validation), or it failed for a passing reason (401, 429, 5xx and unexpected errors). While the request
// runs, its hold on the key is a short lease renewed by a heartbeat: a retry meanwhile is told to wait
// (409 IDEMPOTENCY_KEY_IN_USE, Retry-After); once a dead process's lease runs out, a retry takes the key
// over and runs in its place, and a handler that records the key's digest with its writes (bookings)
// finds what the dead request committed.
import {
  applyDecorators,
  Injectable,
  Logger,
  SetMetadata,
  UseInterceptors,
  createParamDecorator,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '@application/ports/clock.js';
import {
  IDEMPOTENCY_HEARTBEAT_MS,
  IdempotencyStore,
  type IdempotencyClaim,
} from '@application/ports/idempotency.store.js';
import type { AuthedRequest } from './auth.js';
import { problemFor, type Problem } from './problem-details.filter.js';
import { RetryableDomainError } from './retryable-domain-error.js';
import { isRejectedBeforeHandler } from './validation.js';
import { ApiIdempotencyKey } from './openapi.js';

const IDEMPOTENT = 'kailenty:idempotent';

const digests = new WeakMap<object, string>();

/**
 * The handler's view of the request's Idempotency-Key: a digest of the key with its workspace, endpoint
 * and body (null without a key), for a use case to record with what the request writes.
 */
export const IdempotencyKeyDigest = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | null =>
    digests.get(context.switchToHttp().getRequest<object>()) ?? null,
);

/** JSON with sorted keys, so that equal JSON bodies have equal fingerprints whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    if (!this.reflector.get<boolean>(IDEMPOTENT, handler)) return next.handle();
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > 255) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status =
      this.reflector.get<number>(HTTP_CODE_METADATA, handler) ?? (request.method === 'POST' ? 201 : 200);
    const path = request.url.split('?')[0]!;
    const scope = `${request.workspaceId ?? 'operator'} ${request.method} ${path}`;
    const fingerprint = createHash('sha256')
      .update(canonicalJson(request.body ?? null))
      .digest('hex');
    return from(this.run({ scope, key, path }, fingerprint, status, request, reply, next));
  }

  private async run(
    asked: { scope: string; key: string; path: string },
    fingerprint: string,
    status: number,
    request: object,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const { scope, key } = asked;
    const start = await this.store.begin(scope, key, fingerprint, this.clock.now());
    switch (start.kind) {
      case 'replay':
        void reply.status(start.status).header('idempotent-replayed', 'true');
        if (start.status >= 400) void reply.header('content-type', 'application/problem+json; charset=utf-8');
        return start.body;
      case 'reused':
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another request body; use a new key for a new request.',
        );
      case 'in_use':
        throw new RetryableDomainError(
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is still being processed; retry after the time given.',
          Math.max(1, Math.ceil(start.retryAfterMs / 1000)),
        );
    }
    const { claim } = start;
    digests.set(
      request,
      createHash('sha256')
        .update(JSON.stringify([scope, key, fingerprint]))
        .digest('hex'),
    );
    const heartbeat = setInterval(() => this.renew(claim), IDEMPOTENCY_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(claim, status, body);
      return body;
    } catch (error) {
      const decided = decidedProblem(error, asked.path);
      if (decided) await this.store.complete(claim, decided.status, decided);
      else await this.store.release(claim);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private renew(claim: IdempotencyClaim): void {
    // A missed beat only shortens the lease; the next one, or the request's end, settles it.
    this.store.renew(claim, this.clock.now()).catch((error: unknown) => {
      this.logger.warn(`could not renew the lease of an Idempotency-Key: ${String(error)}`);
    });
  }
}

/** Statuses that say nothing about the request itself: the same request may well succeed later. */
const PASSING = new Set([401, 408, 429]);

/** The problem+json a handler's refusal is answered with, when it is the request's outcome to replay. */
function decidedProblem(error: unknown, path: string): Problem | null {
  if (isRejectedBeforeHandler(error)) return null;
  const { problem } = problemFor(error);
  if (problem.status < 400 || problem.status >= 500 || PASSING.has(problem.status)) return null;
  // As the exception filter writes it (see sendProblem), so that the replay is the same body.
  return { ...problem, instance: path };
}

/**
 * The create honours Idempotency-Key (and the OpenAPI document says so, with its 409s). The interceptor is
 * bound to these routes only: a global one would put every read (the slots query among them) through
 * Nest's interceptor chain for nothing.
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    UseInterceptors(IdempotencyInterceptor),
    ApiIdempotencyKey(),
  );
