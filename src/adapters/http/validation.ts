// Request validation: unknown fields are refused, and every failure becomes VALIDATION_FAILED with field paths.
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
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

/**
 * A check of one DTO's valid values without class-validator, for a hot route: it answers the DTO as the full
 * pipe would make it, or null for anything it does not accept outright — which then goes through the full
 * pipe, so every refusal (status, codes, messages) is the full pipe's own. It must never accept what the full
 * pipe refuses (`test/unit/validation.spec.ts` holds them side by side).
 */
export type QuickCheck = (value: unknown) => object | null;

const quickChecks = new Map<unknown, QuickCheck>();

/** Registers the quick check of a DTO class (beside the class). */
export function quickValidation(metatype: abstract new () => object, check: QuickCheck): void {
  quickChecks.set(metatype, check);
}

/**
 * The validation pipe: a DTO with a quick check (the slots query: class-validator and class-transformer were
 * ~6 % of a warm slots request) takes it first; the rest, and everything the quick check does not accept,
 * get class-validator.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const quick = metadata.metatype ? quickChecks.get(metadata.metatype) : undefined;
    const done = quick?.(value);
    return done ?? super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    transform: true,
    exceptionFactory: (errors) => rejectedBeforeHandler(DomainError.validation(flatten(errors))),
  });
}
