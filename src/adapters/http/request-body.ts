// What a request body may be, checked before anything reads it. JSON nests at most MAX_JSON_DEPTH levels
// (class-transformer, and every other reader after the parser, recurse: 10,000 levels overflow the stack).
// An empty body is no body whatever its Content-Type says, as HTTP clients send on a DELETE. An endpoint
// that takes a body gets a JSON object (never null, an array or a scalar read as {}); one that takes
// none gets no body, or {}.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';

export const MAX_JSON_DEPTH = 32;

/** The app's JSON parser (in place of Nest's): an empty body is none, and deep nesting is refused. */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  // Fastify's own parser underneath: its protection against __proto__ and constructor poisoning stays.
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parse(request as Parameters<typeof parse>[0], body.toString('utf8'), (error, value) => {
      if (error) done(error, undefined);
      else if (depthOf(value) > MAX_JSON_DEPTH) done(tooDeep(), undefined);
      else done(null, value);
    });
  });
}

/** How deeply a parsed JSON value nests (a scalar: 0); without recursion, for it is what must not recurse. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (level > MAX_JSON_DEPTH) return level;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, level]);
  }
  return deepest;
}

function tooDeep(): DomainError {
  return DomainError.validation(
    [{ field: 'body', message: `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep` }],
    'The request body nests too deeply.',
  );
}

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keys Nest's ValidationPipe deletes before validating, against prototype pollution: sent, they would be
 * dropped without a word instead of refused as every other unknown field is. (`__proto__` never gets
 * this far: the parser refuses it.)
 */
const STRIPPED_KEYS = new Set(['constructor', 'prototype', '__proto__']);

/** The path of the first stripped key in a body, if any; the body is at most MAX_JSON_DEPTH deep. */
function strippedKeyIn(body: unknown, path = ''): string | null {
  if (body === null || typeof body !== 'object') return null;
  for (const [key, value] of Object.entries(body)) {
    const at = path ? `${path}.${key}` : key;
    if (STRIPPED_KEYS.has(key) && !Array.isArray(body)) return at;
    const inner = strippedKeyIn(value, at);
    if (inner !== null) return inner;
  }
  return null;
}

/** Whether the handler reads a body, and whether as a validated DTO or as it comes (Graph's notifications). */
function bodyOf(context: ExecutionContext): 'dto' | 'raw' | 'none' {
  const controller = context.getClass();
  const method = context.getHandler().name;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number }
  >;
  const key = Object.keys(args).find((k) => k.split(':')[0] === String(RouteParamtypes.BODY));
  if (key === undefined) return 'none';
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype, method) as
    unknown[] | undefined;
  const type = types?.[args[key]!.index];
  return typeof type === 'function' && type !== Object ? 'dto' : 'raw';
}

/** Refuses a body that is not what the endpoint takes, before any interceptor or pipe reads it. */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const body = context.switchToHttp().getRequest<FastifyRequest>().body;
    if (body === undefined) return true;
    const takes = bodyOf(context);
    if (takes === 'raw') return true;
    if (takes === 'dto' && isObject(body)) {
      const stripped = strippedKeyIn(body);
      if (stripped === null) return true;
      const key = stripped.split('.').pop()!;
      throw DomainError.validation([{ field: stripped, message: `property ${key} should not exist` }]);
    }
    if (takes === 'none' && isObject(body) && Object.keys(body).length === 0) return true;
    throw DomainError.validation(
      [
        takes === 'none'
          ? { field: 'body', message: 'must be empty or {}: this endpoint takes no request body' }
          : { field: 'body', message: 'must be a JSON object' },
      ],
      'The request body is not what this endpoint takes.',
    );
  }
}
