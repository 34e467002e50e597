// The one error type the core raises for expected outcomes; its `code` is a stable code of API.md,
// mapped to an HTTP status only in the HTTP adapter.
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'RANGE_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'SLOT_UNAVAILABLE'
  | 'HOLD_EXPIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'ACCOUNT_NOT_ACTIVE'
  | 'TENANT_MISMATCH'
  | 'ACCOUNT_MISMATCH'
  | 'ADMIN_CONSENT_REQUIRED'
  | 'CONSENT_REVOKED'
  | 'MICROSOFT_NOT_CONNECTED'
  | 'INVALID_STATE'
  | 'MICROSOFT_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'ENCRYPTION_KEY_MISSING';

export interface FieldError {
  field: string;
  message: string;
  /** A stable code for refusals a client may act on one by one (a booking's answers, an event type's questions). */
  code?: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[], message = 'The request is not valid.'): DomainError {
    return new DomainError('VALIDATION_FAILED', message, errors);
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} was not found.`);
  }
}
