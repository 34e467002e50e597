// A DomainError the client may retry after a while: answered with Retry-After.
import { DomainError, type ErrorCode } from '@domain/shared/domain-error.js';

/** A DomainError that tells the client when to try again (429 and 503 from Microsoft). */
export class RetryableDomainError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}
