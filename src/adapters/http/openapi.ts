// What the OpenAPI document says of errors and credentials, in one place for every controller: the
// problem+json schema, `@ApiErrorResponses(...codes)` (each status an operation can answer, with the codes
// behind it and an example of each), the Idempotency-Key header of creates, and `security: []` for public
// operations. The document itself is assembled in `describeApi`.
import { applyDecorators } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import type { ErrorCode } from '@domain/shared/domain-error.js';
import { problemOf, STATUS_BY_CODE } from './problem-details.filter.js';

/** Codes of the HTTP layer itself, besides the domain's (problem-details.filter.ts). */
type HttpLayerCode = 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';
export type ProblemCode = ErrorCode | HttpLayerCode;

const STATUS: Record<ProblemCode, number> = {
  ...STATUS_BY_CODE,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** What each code means, as the response descriptions list it. */
const MEANING: Record<ProblemCode, string> = {
  VALIDATION_FAILED: 'the body, query or path is not valid; `errors` names each field and why',
  RANGE_TOO_LARGE: 'the range is longer than 62 days',
  INVALID_STATE: 'the state or link is unknown, expired or already used',
  UNAUTHENTICATED: 'the credential is missing or not valid',
  ACCOUNT_NOT_ACTIVE: 'the member is not active',
  TENANT_MISMATCH: "the account belongs to another tenant than the workspace's",
  ACCOUNT_MISMATCH: "the account is not the member's",
  ADMIN_CONSENT_REQUIRED: "the tenant's administrator must consent first",
  NOT_FOUND: 'no such resource in this workspace (ids of other workspaces are not found either)',
  SLOT_UNAVAILABLE: 'the start is not offered, or no longer free in Microsoft 365',
  HOLD_EXPIRED: 'the hold expired, was released or already became a booking',
  IDEMPOTENCY_KEY_REUSED: 'this Idempotency-Key was used with another body',
  IDEMPOTENCY_KEY_IN_USE: 'the first request with this Idempotency-Key is still running',
  CONSENT_REVOKED: "Microsoft withdrew the host's access; the host must reconnect",
  MICROSOFT_NOT_CONNECTED: 'the host has not connected Microsoft 365',
  RATE_LIMITED:
    "too many requests: this credential's or address's rate limit, or Microsoft Graph throttling the host; retry after `Retry-After`",
  ENCRYPTION_KEY_MISSING:
    'a record this request needs is sealed under an encryption key that is not configured (the detail names the key id)',
  MICROSOFT_UNAVAILABLE: 'Microsoft 365 could not be reached or answered with an outage',
  PAYLOAD_TOO_LARGE: 'the body is larger than 1 MiB',
  UNSUPPORTED_MEDIA_TYPE: 'the body is not `application/json`',
};

class FieldErrorDocument {
  @ApiProperty({ example: 'start' }) field!: string;
  @ApiProperty({ example: 'must be an ISO 8601 date-time' }) message!: string;
  @ApiPropertyOptional({
    example: 'ANSWER_REQUIRED',
    description: 'A stable code, for the refusals of booking questions (QUESTION_*) and answers (ANSWER_*).',
  })
  code?: string;
}

@ApiSchema({ name: 'Problem', description: 'An RFC 9457 problem document; `code` is stable.' })
export class ProblemDocument {
  @ApiProperty({ format: 'uri', example: 'https://docs.kailenty.dev/problems/slot-unavailable' })
  type!: string;
  @ApiProperty({ example: 'Conflict' }) title!: string;
  @ApiProperty({ example: 409 }) status!: number;
  @ApiProperty({
    example: 'SLOT_UNAVAILABLE',
    description:
      "One of the contract's codes, or the HTTP layer's PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, " +
      'METHOD_NOT_ALLOWED, NOT_READY (/health/ready) and INTERNAL_ERROR.',
  })
  code!: string;
  @ApiProperty({ example: 'This time is not available (anymore). Please choose another slot.' })
  detail!: string;
  @ApiPropertyOptional({ example: '/v1/bookings', description: 'The path of the request.' })
  instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDocument], description: 'VALIDATION_FAILED: each field and why.' })
  errors?: FieldErrorDocument[];
}

const CODES = Symbol('kailenty:problem-codes');
type Target = object & { [CODES]?: Set<ProblemCode> };

function example(code: ProblemCode) {
  const problem: Record<string, unknown> = {
    ...problemOf(STATUS[code], code, `${capitalise(MEANING[code])}.`),
  };
  if (code === 'VALIDATION_FAILED')
    problem.errors = [{ field: 'start', message: 'must be an ISO 8601 date-time' }];
  return { summary: code, value: problem };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Documents the problems an operation (or every operation of a controller) can answer: one response per
 * status, listing its codes, with the Problem schema and an example per code. Applied several times (e.g.
 * by `@Idempotent()` and by the operation), the codes add up.
 */
export function ApiErrorResponses(...codes: ProblemCode[]): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor ? descriptor.value : target) as Target;
    const known = holder[CODES] ?? new Set<ProblemCode>();
    const added = codes.filter((code) => !known.has(code));
    for (const code of added) known.add(code);
    holder[CODES] = known;
    const decorators = [ApiExtraModels(ProblemDocument)];
    for (const status of new Set(added.map((code) => STATUS[code]))) {
      const all = [...known].filter((code) => STATUS[code] === status);
      // swagger merges responses of one status: the new codes' lines join the description, and the
      // content (written whole each time) carries an example of every code so far.
      decorators.push(
        ApiResponse({
          status,
          description: added
            .filter((code) => STATUS[code] === status)
            .map((code) => `\`${code}\`: ${MEANING[code]}.`)
            .join('\n\n'),
          content: {
            'application/problem+json': {
              schema: { $ref: getSchemaPath(ProblemDocument) },
              examples: Object.fromEntries(all.map((code) => [code, example(code)])),
            },
          },
        }),
      );
    }
    const apply = applyDecorators(...decorators);
    if (descriptor) apply(target, key!, descriptor);
    else (apply as ClassDecorator)(target as never);
  };
}

/** The header `@Idempotent()` creates honour, and the conflicts it can answer. */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any string of 1–255 characters, unique per create: a retry with the same key and body gets the ' +
        'first answer again (with `Idempotent-Replayed: true`), for 24 hours, per workspace and endpoint.',
      schema: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        example: 'c3f1e1c2-8f0e-4a7e-9b9a-0d5b2f7a1e42',
      },
    }),
    ApiErrorResponses('IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE'),
  );
}

/** `security: []`: the operation takes no credential (swagger has no decorator for an empty list). */
export function ApiNoCredential(): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata('swagger/apiSecurity', [], descriptor ? descriptor.value : target);
  };
}

export const API_KEY_SCHEME = 'apiKey';
export const OPERATOR_SCHEME = 'operator';

/** Operations called with a workspace API key (the guard's default): the scheme, and its 401. */
export const ApiWorkspaceKey = (): ClassDecorator & MethodDecorator =>
  applyDecorators(ApiBearerAuth(API_KEY_SCHEME), ApiErrorResponses('UNAUTHENTICATED'));

/** Operations called with the operator token: the scheme, and its 401. */
export const ApiOperatorToken = (): ClassDecorator & MethodDecorator =>
  applyDecorators(ApiBearerAuth(OPERATOR_SCHEME), ApiErrorResponses('UNAUTHENTICATED'));

/** The OpenAPI document of the running service, served at /docs-json. */
export function describeApi(app: NestFastifyApplication, publicUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('kailenty')
    .setDescription(
      'Scheduling on Microsoft 365: availability, bookings with Teams, two-way Outlook sync. Errors are ' +
        'RFC 9457 `application/problem+json` documents (schema `Problem`) with a stable `code`.',
    )
    .setVersion('1')
    .addServer(publicUrl)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'kly_… API key',
        description:
          'A workspace API key (`Authorization: Bearer kly_…`), issued by an operator and shown once. It ' +
          'selects the workspace: nothing of another workspace is visible through it.',
      },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'OPERATOR_TOKEN',
        description: "The service's operator token (`Authorization: Bearer <OPERATOR_TOKEN>`).",
      },
      OPERATOR_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}
