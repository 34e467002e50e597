// Request validation: unknown fields are refused, and every failure becomes VALIDATION_FAILED with field paths.
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '@domain/shared/domain-error.js';

const beforeHandler = new WeakSet<object>();

/**
 * Marks an error a pipe raised while checking the request, before its handler ran: nothing was decided,
 * so an Idempotency-Key used with it stays free for the corrected request.
 */
export function rejectedBeforeHandler<E extends object>(error: E): E {
  beforeHandler.add(error);
  return error;
}

export function isRejectedBeforeHandler(error: unknown): boolean {
  return typeof error === 'object' && error !== null && beforeHandler.has(error);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A missing field fails whichever check runs first (often a length): say what is really wrong.
    const own =
      error.value === undefined && error.constraints
        ? [{ field, message: `${error.property} is required` }]
        : Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    transform: true,
    exceptionFactory: (errors) => rejectedBeforeHandler(DomainError.validation(flatten(errors))),
  });
}
