// The one place where errors become HTTP: domain codes, validation failures, framework and body-parser
// errors all leave as RFC 9457 application/problem+json with a stable `code`.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RetryableDomainError } from './retryable-domain-error.js';
import { DomainError, type ErrorCode, type FieldError } from '@domain/shared/domain-error.js';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  RANGE_TOO_LARGE: 400,
  INVALID_STATE: 400,
  UNAUTHENTICATED: 401,
  ACCOUNT_NOT_ACTIVE: 403,
  TENANT_MISMATCH: 403,
  ACCOUNT_MISMATCH: 403,
  ADMIN_CONSENT_REQUIRED: 403,
  NOT_FOUND: 404,
  SLOT_UNAVAILABLE: 409,
  HOLD_EXPIRED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  CONSENT_REVOKED: 409,
  MICROSOFT_NOT_CONNECTED: 409,
  RATE_LIMITED: 429,
  MICROSOFT_UNAVAILABLE: 503,
  ENCRYPTION_KEY_MISSING: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for statuses that come from the HTTP layer itself rather than from the domain. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'MICROSOFT_UNAVAILABLE',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  instance?: string;
}

export function problemFor(error: unknown): { problem: Problem; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 500;
  let code = 'INTERNAL_ERROR';
  let detail = 'An unexpected error occurred. It has been logged.';
  let errors: FieldError[] | undefined;

  if (error instanceof DomainError) {
    status = STATUS_BY_CODE[error.code] ?? 500;
    code = error.code;
    detail = error.message;
    if (error.errors.length > 0) errors = error.errors;
    if (error instanceof RetryableDomainError && error.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(error.retryAfterSeconds);
    }
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    code = CODE_BY_STATUS[status] ?? `HTTP_${status}`;
    const response = error.getResponse();
    detail =
      typeof response === 'object' && response && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
  } else if (isFastifyError(error)) {
    status = error.statusCode;
    code = CODE_BY_STATUS[status] ?? `HTTP_${status}`;
    detail =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'The request body is larger than this endpoint accepts.'
        : error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? `The request body is not valid JSON: ${error.message}`
          : error.message;
  }
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  const problem = problemOf(status, code, detail);
  if (errors) problem.errors = errors;
  return { problem, headers };
}

/** The problem document for a status and code, for answers built outside the exception filter. */
export function problemOf(status: number, code: string, detail: string): Problem {
  return {
    type: `https://docs.kailenty.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
  };
}

/** The problem for a status the HTTP server decides on its own, with no error object to map (a 408, a 431). */
export function httpProblem(status: number, detail: string): Problem {
  return problemOf(status, CODE_BY_STATUS[status] ?? `HTTP_${status}`, detail);
}

function isFastifyError(error: unknown): error is Error & { statusCode: number; code?: string } {
  const status =
    error instanceof Error ? (error as unknown as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 600;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest | undefined, error: unknown): void {
  const { problem, headers } = problemFor(error);
  if (request) problem.instance = request.url.split('?')[0];
  void reply
    .status(problem.status)
    .headers(headers)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem } = problemFor(error);
    // A missing encryption key is logged where it is met (with its id, at most once a minute per key).
    if (problem.status >= 500 && problem.code !== 'ENCRYPTION_KEY_MISSING')
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
    sendProblem(reply, request, error);
  }
}
