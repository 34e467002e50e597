// Microsoft withdrew a member's access while kailenty used it (a token refresh, a Graph call): the adapter
// says so with this error, carrying its verdict and whose access it was, and records nothing. The use case
// that made the call records it (RecordMicrosoftFailure); to HTTP it is a CONSENT_REVOKED like any other.
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';
import { DomainError } from '@domain/shared/domain-error.js';

export class MicrosoftRefusal extends DomainError {
  constructor(
    readonly verdict: MicrosoftFailure,
    readonly whose: { workspaceId: string; memberId: string },
    message = `Microsoft refused this member's access (${verdict.reason}).`,
  ) {
    super('CONSENT_REVOKED', message);
    this.name = 'MicrosoftRefusal';
  }
}
