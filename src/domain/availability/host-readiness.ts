// Why a host cannot be offered at all, before any rule of their policy is looked at, in one type; and the
// two things it becomes: a warning naming the host (slots, explain) or the error that refuses a request
// (a single host's slots, a booking that no host could be checked for).
import type { Member, MemberStatus } from '../member/member.js';
import type { MicrosoftConnection } from '../connection/microsoft-connection.js';
import { DomainError } from '../shared/domain-error.js';

/** Why a calendar read failed. ENCRYPTION_KEY_MISSING: the host's tokens are sealed under a lost key. */
export type CalendarFailureCode =
  | 'MICROSOFT_NOT_CONNECTED'
  | 'CONSENT_REVOKED'
  | 'MICROSOFT_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'ENCRYPTION_KEY_MISSING';

const PASSED_THROUGH: readonly string[] = [
  'MICROSOFT_NOT_CONNECTED',
  'CONSENT_REVOKED',
  'RATE_LIMITED',
  'ENCRYPTION_KEY_MISSING',
];

/** The failure code of a read that failed with an error of this code: anything else is "unavailable". */
export function calendarFailureCode(errorCode: string | null): CalendarFailureCode {
  return errorCode !== null && PASSED_THROUGH.includes(errorCode)
    ? (errorCode as CalendarFailureCode)
    : 'MICROSOFT_UNAVAILABLE';
}

export type HostUnreadiness =
  | { kind: 'member_not_active'; memberStatus: MemberStatus }
  | { kind: 'not_connected' }
  | { kind: 'consent_revoked'; connection: 'revoked' | 'reauthorization_required' }
  | { kind: 'calendar_unreadable'; code: CalendarFailureCode; detail: string; calendar?: string };

/** What is known before reading the calendar: the member and their connection. */
export function readinessOf(member: Member, connection: MicrosoftConnection | null): HostUnreadiness | null {
  if (!member.isActive) return { kind: 'member_not_active', memberStatus: member.status };
  if (!connection) return { kind: 'not_connected' };
  if (connection.status !== 'connected') return { kind: 'consent_revoked', connection: connection.status };
  return null;
}

/** A calendar read that failed. */
export function unreadable(failure: {
  code: CalendarFailureCode;
  detail: string;
  calendar?: string;
}): HostUnreadiness {
  const reason: HostUnreadiness = { kind: 'calendar_unreadable', code: failure.code, detail: failure.detail };
  if (failure.calendar !== undefined) reason.calendar = failure.calendar;
  return reason;
}

export type HostWarningCode = CalendarFailureCode | 'ACCOUNT_NOT_ACTIVE';

/** A host that offers nothing, named in the response (API.md: `warnings: [{ code, memberId }]`). */
export interface HostWarning {
  code: HostWarningCode;
  memberId: string;
}

export function warningOf(hostId: string, reason: HostUnreadiness): HostWarning {
  switch (reason.kind) {
    case 'member_not_active':
      return { code: 'ACCOUNT_NOT_ACTIVE', memberId: hostId };
    case 'not_connected':
      return { code: 'MICROSOFT_NOT_CONNECTED', memberId: hostId };
    case 'consent_revoked':
      return { code: 'CONSENT_REVOKED', memberId: hostId };
    case 'calendar_unreadable':
      return { code: reason.code, memberId: hostId };
  }
}

/** Microsoft 365 did not answer (now): retrying later may help, and nothing about the host is wrong. */
export function isTransient(reason: HostUnreadiness): boolean {
  return (
    reason.kind === 'calendar_unreadable' &&
    (reason.code === 'MICROSOFT_UNAVAILABLE' || reason.code === 'RATE_LIMITED')
  );
}

/**
 * The error that refuses a request because of this host. A host who is not active, not connected or whose
 * consent was revoked is a 409 naming them; lost tokens are the service's configuration at fault (500); a
 * calendar Microsoft 365 did not answer for is retryable.
 */
export function refusalOf(hostId: string, reason: HostUnreadiness): DomainError {
  const notConnected = () =>
    new DomainError(
      'MICROSOFT_NOT_CONNECTED',
      `The host ${hostId} has not connected their Microsoft 365 account.`,
    );
  const revoked = () =>
    new DomainError(
      'CONSENT_REVOKED',
      `The host ${hostId} must reconnect their Microsoft 365 account: access was revoked or needs re-authorization.`,
    );
  switch (reason.kind) {
    case 'member_not_active':
      return new DomainError('ACCOUNT_NOT_ACTIVE', `The host ${hostId} is not an active member.`);
    case 'not_connected':
      return notConnected();
    case 'consent_revoked':
      return revoked();
    case 'calendar_unreadable':
      switch (reason.code) {
        case 'MICROSOFT_NOT_CONNECTED':
          return notConnected();
        case 'CONSENT_REVOKED':
          return revoked();
        case 'ENCRYPTION_KEY_MISSING':
          return new DomainError('ENCRYPTION_KEY_MISSING', reason.detail);
        case 'RATE_LIMITED':
        case 'MICROSOFT_UNAVAILABLE':
          return new DomainError(
            reason.code,
            `Microsoft 365 could not confirm the host's calendar right now; please retry.`,
          );
      }
  }
}

/**
 * A pool in which no host could be offered: refused when a calendar could not be read (the first such
 * host), else nobody is free (null). One host's connection found broken while reading is not the guest's
 * to cure: the pool says Microsoft 365 could not confirm.
 */
export function poolRefusalOf(
  hosts: readonly { hostId: string; problem: HostUnreadiness | null }[],
): DomainError | null {
  const first = hosts.find((h) => h.problem?.kind === 'calendar_unreadable');
  if (first?.problem?.kind !== 'calendar_unreadable') return null;
  const reason = first.problem;
  return refusalOf(
    first.hostId,
    reason.code === 'ENCRYPTION_KEY_MISSING' || reason.code === 'RATE_LIMITED'
      ? reason
      : { ...reason, code: 'MICROSOFT_UNAVAILABLE' },
  );
}
