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
  SetMetadata,
  UseInterceptors,
  createParamDecorator,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '@application/ports/clock.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import type { AuthedRequest } from './auth.js';
import { problemFor, type Problem } from './problem-details.filter.js';
import { IdempotentCalls } from './idempotent-calls.js';
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

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly calls: IdempotentCalls;

  constructor(
    private readonly reflector: Reflector,
    store: IdempotencyStore,
    clock: Clock,
  ) {
    this.calls = new IdempotentCalls(store, clock);
  }

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
    return from(
      this.calls
        .run({
          scope: `${request.workspaceId ?? 'operator'} ${request.method} ${path}`,
          key,
          args: request.body ?? null,
          status,
          work: (digest) => {
            digests.set(request, digest);
            return lastValueFrom(next.handle(), { defaultValue: undefined });
          },
          decided: (error) => decidedProblem(error, path),
        })
        .then((outcome) => {
          if (!outcome.replayed) return outcome.body;
          void reply.status(outcome.status).header('idempotent-replayed', 'true');
          if (outcome.status >= 400)
            void reply.header('content-type', 'application/problem+json; charset=utf-8');
          return outcome.body;
        }),
    );
  }
}

/** Statuses that say nothing about the request itself: the same request may well succeed later. */
const PASSING = new Set([401, 408, 429]);

/** The problem+json a handler's refusal is answered with, when it is the request's outcome to replay. */
export function decidedProblem(error: unknown, path: string): Problem | null {
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
