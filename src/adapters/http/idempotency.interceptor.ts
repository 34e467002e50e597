// Idempotency-Key on every create: the first response is stored and replayed for the same key and body.
import {
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

const IDEMPOTENT = 'kailenty:idempotent';
export const Idempotent = () => SetMetadata(IDEMPOTENT, true);

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
    const scope = `${request.workspaceId ?? 'operator'} ${request.method} ${request.url.split('?')[0]}`;
    const fingerprint = createHash('sha256')
      .update(canonicalJson(request.body ?? null))
      .digest('hex');
    return from(this.run(scope, key, fingerprint, status, reply, next));
  }

  private async run(
    scope: string,
    key: string,
    fingerprint: string,
    status: number,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const start = await this.store.begin(scope, key, fingerprint, this.clock.now());
    if (start.kind === 'replay') {
      void reply.status(start.status).header('idempotent-replayed', 'true');
      return start.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(scope, key, status, body);
      return body;
    } catch (error) {
      await this.store.release(scope, key);
      throw error;
    }
  }
}
