// Why a host cannot be offered, and its one warning and one refusal: the codes, texts and statuses the
// slots, explain and booking answers carry.
import {
  calendarFailureCode,
  isTransient,
  poolRefusalOf,
  readinessOf,
  refusalOf,
  unreadable,
  warningOf,
  type HostUnreadiness,
} from '@domain/availability/host-readiness.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { aMember } from '../../builders/member.builder.js';

const now = new Date('2026-12-01T08:00:00Z');

function aConnection() {
  return MicrosoftConnection.connect({
    workspaceId: 'w',
    memberId: 'h',
    account: {
      userId: 'oid',
      tenantId: 'tid',
      homeAccountId: 'oid.tid',
      mailbox: 'host@contoso.com',
      timeZone: 'UTC',
      teamsEnabled: true,
    },
    now,
  });
}

const notActive: HostUnreadiness = { kind: 'member_not_active', memberStatus: 'pending' };
const notConnected: HostUnreadiness = { kind: 'not_connected' };
const revoked: HostUnreadiness = { kind: 'consent_revoked', connection: 'revoked' };
const reauth: HostUnreadiness = { kind: 'consent_revoked', connection: 'reauthorization_required' };
const failed = (code: Parameters<typeof unreadable>[0]['code']): HostUnreadiness =>
  unreadable({ code, detail: `read failed: ${code}`, calendar: 'room@contoso.com' });

describe('host readiness', () => {
  it('is read from the member and their connection, in that order', () => {
    const active = aMember();
    active.change({ status: 'active' }, now);
    expect(readinessOf(aMember(), aConnection())).toEqual(notActive);
    expect(readinessOf(active, null)).toEqual(notConnected);
    const lapsed = aConnection();
    lapsed.markFailed('reauthorization_required', 'AADSTS50076', now);
    expect(readinessOf(active, lapsed)).toEqual(reauth);
    lapsed.markFailed('revoked', 'AADSTS65001', now);
    expect(readinessOf(active, lapsed)).toEqual(revoked);
    expect(readinessOf(active, aConnection())).toBeNull();
  });

  it('keeps the code of a failed read that says something about the host, else calls it unavailable', () => {
    for (const code of [
      'MICROSOFT_NOT_CONNECTED',
      'CONSENT_REVOKED',
      'RATE_LIMITED',
      'ENCRYPTION_KEY_MISSING',
    ])
      expect(calendarFailureCode(code)).toBe(code);
    expect(calendarFailureCode('MICROSOFT_UNAVAILABLE')).toBe('MICROSOFT_UNAVAILABLE');
    expect(calendarFailureCode('VALIDATION_FAILED')).toBe('MICROSOFT_UNAVAILABLE');
    expect(calendarFailureCode(null)).toBe('MICROSOFT_UNAVAILABLE');
    expect(unreadable({ code: 'RATE_LIMITED', detail: 'd' })).toEqual({
      kind: 'calendar_unreadable',
      code: 'RATE_LIMITED',
      detail: 'd',
    });
  });

  it('names the host in one warning code per reason', () => {
    expect(
      [
        notActive,
        notConnected,
        revoked,
        reauth,
        failed('MICROSOFT_UNAVAILABLE'),
        failed('CONSENT_REVOKED'),
      ].map((r) => warningOf('h', r)),
    ).toEqual([
      { code: 'ACCOUNT_NOT_ACTIVE', memberId: 'h' },
      { code: 'MICROSOFT_NOT_CONNECTED', memberId: 'h' },
      { code: 'CONSENT_REVOKED', memberId: 'h' },
      { code: 'CONSENT_REVOKED', memberId: 'h' },
      { code: 'MICROSOFT_UNAVAILABLE', memberId: 'h' },
      { code: 'CONSENT_REVOKED', memberId: 'h' },
    ]);
  });

  it('is transient only when Microsoft 365 did not answer', () => {
    expect([notActive, notConnected, revoked].some(isTransient)).toBe(false);
    expect(isTransient(failed('MICROSOFT_UNAVAILABLE'))).toBe(true);
    expect(isTransient(failed('RATE_LIMITED'))).toBe(true);
    expect(isTransient(failed('ENCRYPTION_KEY_MISSING'))).toBe(false);
    expect(isTransient(failed('CONSENT_REVOKED'))).toBe(false);
  });

  it('refuses with one error per reason, the same whether the host knew it before or while reading', () => {
    const refusal = (r: HostUnreadiness) => {
      const e = refusalOf('h', r);
      return { code: e.code, message: e.message };
    };
    const notConnectedError = {
      code: 'MICROSOFT_NOT_CONNECTED',
      message: 'The host h has not connected their Microsoft 365 account.',
    };
    const revokedError = {
      code: 'CONSENT_REVOKED',
      message:
        'The host h must reconnect their Microsoft 365 account: access was revoked or needs re-authorization.',
    };
    const retry = "Microsoft 365 could not confirm the host's calendar right now; please retry.";
    expect(refusal(notActive)).toEqual({
      code: 'ACCOUNT_NOT_ACTIVE',
      message: 'The host h is not an active member.',
    });
    expect(refusal(notConnected)).toEqual(notConnectedError);
    expect(refusal(failed('MICROSOFT_NOT_CONNECTED'))).toEqual(notConnectedError);
    expect(refusal(revoked)).toEqual(revokedError);
    expect(refusal(reauth)).toEqual(revokedError);
    expect(refusal(failed('CONSENT_REVOKED'))).toEqual(revokedError);
    expect(refusal(failed('ENCRYPTION_KEY_MISSING'))).toEqual({
      code: 'ENCRYPTION_KEY_MISSING',
      message: 'read failed: ENCRYPTION_KEY_MISSING',
    });
    expect(refusal(failed('RATE_LIMITED'))).toEqual({ code: 'RATE_LIMITED', message: retry });
    expect(refusal(failed('MICROSOFT_UNAVAILABLE'))).toEqual({
      code: 'MICROSOFT_UNAVAILABLE',
      message: retry,
    });
  });

  it('refuses a pool nobody of which is offered only for a calendar that could not be read', () => {
    const code = (hosts: { hostId: string; problem: HostUnreadiness | null }[]) => poolRefusalOf(hosts)?.code;
    expect(code([])).toBeUndefined();
    expect(
      code([
        { hostId: 'a', problem: notConnected },
        { hostId: 'b', problem: revoked },
      ]),
    ).toBeUndefined();
    expect(
      code([
        { hostId: 'a', problem: notConnected },
        { hostId: 'b', problem: failed('RATE_LIMITED') },
        { hostId: 'c', problem: failed('ENCRYPTION_KEY_MISSING') },
      ]),
    ).toBe('RATE_LIMITED');
    expect(code([{ hostId: 'a', problem: failed('ENCRYPTION_KEY_MISSING') }])).toBe('ENCRYPTION_KEY_MISSING');
    // One host's connection found broken while reading is not the guest's to cure.
    expect(code([{ hostId: 'a', problem: failed('CONSENT_REVOKED') }])).toBe('MICROSOFT_UNAVAILABLE');
    expect(code([{ hostId: 'a', problem: failed('MICROSOFT_NOT_CONNECTED') }])).toBe('MICROSOFT_UNAVAILABLE');
  });
});
