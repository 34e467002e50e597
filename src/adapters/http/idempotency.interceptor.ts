// Idempotency-Key on every create: the first response is stored and replayed for the same key and body.
// "First response" includes a 4xx the handler decided (409 SLOT_UNAVAILABLE, 404, a 400 of the use case…):
// a retry gets that answer again, never a different outcome. The key is released, so a retry runs afresh,
// when nothing was decided: the request was refused by a pipe before its handler ran (body or path
// validation), or it failed for a passing reason (401, 429, 5xx and unexpected errors).
import {
  applyDecorators,
  Injectable,
  SetMetadata,
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
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import type { AuthedRequest } from './auth.js';
import { problemFor, type Problem } from './problem-details.filter.js';
import { isRejectedBeforeHandler } from './validation.js';
import { ApiIdempotencyKey } from './openapi.js';

const IDEMPOTENT = 'kailenty:idempotent';
/** The create honours Idempotency-Key (and the OpenAPI document says so, with its 409s). */
export const Idempotent = () => applyDecorators(SetMetadata(IDEMPOTENT, true), ApiIdempotencyKey());

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
    return from(this.run({ scope, key, path }, fingerprint, status, reply, next));
  }

  private async run(
    claim: { scope: string; key: string; path: string },
    fingerprint: string,
    status: number,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const { scope, key } = claim;
    const start = await this.store.begin(scope, key, fingerprint, this.clock.now());
    if (start.kind === 'replay') {
      void reply.status(start.status).header('idempotent-replayed', 'true');
      if (start.status >= 400) void reply.header('content-type', 'application/problem+json; charset=utf-8');
      return start.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(scope, key, status, body);
      return body;
    } catch (error) {
      const decided = decidedProblem(error, claim.path);
      if (decided) await this.store.complete(scope, key, decided.status, decided);
      else await this.store.release(scope, key);
      throw error;
    }
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
