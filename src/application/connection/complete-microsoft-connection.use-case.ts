// The browser comes back from Entra ID: redeem the code, check who signed in (tenant, account, member
// status), learn the mailbox's time zone and Teams ability, bind and record — or say precisely why not.
import type { AuthorizationStateSnapshot } from '@domain/connection/authorization-state.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { IdentityProvider, MicrosoftError } from '../ports/identity-provider.js';
import { MailboxProfileReader } from '../ports/mailbox-profile.reader.js';
import { MemberRepository } from '../ports/member.repository.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '../ports/tenant-consent.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';
import { ConnectionListener } from '../ports/connection.listener.js';
import { withParams } from '../shared/urls.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { ConsentLinks, RESULT_LINK_TTL_MS } from '../ports/consent-links.js';

export interface CallbackInput {
  state: string | undefined;
  code?: string;
  /** Entra ID's redirect reported a failure (`error`, `error_description`), read by the inbound adapter. */
  refusal?: MicrosoftError;
  /** The browser's IP address, for the audit trail (null when the inbound adapter does not give it). */
  clientAddress?: string | null;
}

/** Result codes of the member redirect (API.md's codes, plus Microsoft's own refusals named plainly). */
export type ConnectionResultCode =
  | 'ACCOUNT_NOT_ACTIVE'
  | 'TENANT_MISMATCH'
  | 'ACCOUNT_MISMATCH'
  | 'ADMIN_CONSENT_REQUIRED'
  | 'CONSENT_DECLINED'
  | 'MICROSOFT_ACCOUNT_DISABLED'
  | 'MICROSOFT_SIGN_IN_FAILED'
  | 'MICROSOFT_UNAVAILABLE';

class Refusal extends Error {
  constructor(readonly code: ConnectionResultCode) {
    super(code);
  }
}

/** The result a member reads for Microsoft's verdict on their sign-in. */
export function refusalCode(verdict: MicrosoftFailure): ConnectionResultCode {
  switch (verdict.kind) {
    case 'admin_consent_required':
      return 'ADMIN_CONSENT_REQUIRED';
    case 'consent_declined':
      return 'CONSENT_DECLINED';
    case 'account_disabled':
      return 'MICROSOFT_ACCOUNT_DISABLED';
    case 'not_in_tenant':
      return 'TENANT_MISMATCH';
    case 'unavailable':
    case 'rate_limited':
      return 'MICROSOFT_UNAVAILABLE';
    default:
      return 'MICROSOFT_SIGN_IN_FAILED';
  }
}

/**
 * Where a member's browser goes with a result: `returnUrl?result=connected&memberId=…` (or
 * `result=error&code=…`), or without a return URL kailenty's result page, whose signed link says what
 * the service decided, for a while.
 */
export function connectionResultUrl(
  links: ConsentLinks,
  now: Date,
  to: { workspaceId: string; memberId: string; returnUrl: string | null; result: string },
): string {
  if (to.returnUrl === null) {
    return links.create(
      { kind: 'connection_result', workspaceId: to.workspaceId, memberId: to.memberId, result: to.result },
      new Date(now.getTime() + RESULT_LINK_TTL_MS),
    );
  }
  const params = to.result === 'connected' ? { result: 'connected' } : { result: 'error', code: to.result };
  return withParams(to.returnUrl, { ...params, memberId: to.memberId });
}

export class CompleteMicrosoftConnection {
  constructor(
    private readonly states: AuthorizationStateRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly consents: TenantConsentRepository,
    private readonly identity: IdentityProvider,
    private readonly profiles: MailboxProfileReader,
    private readonly listener: ConnectionListener,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly links: ConsentLinks,
  ) {}

  /**
   * Returns where to send the browser: the product's return URL with the result, or (no return URL)
   * kailenty's connection result page through a short-lived signed link. Throws INVALID_STATE when
   * there is no trusted place to go.
   */
  async execute(
    input: CallbackInput,
  ): Promise<{ redirectUrl: string; result: 'connected' | ConnectionResultCode }> {
    const now = this.clock.now();
    const consumed = input.state ? await this.states.consume(input.state, now) : null;
    if (!consumed) {
      throw new DomainError(
        'INVALID_STATE',
        'This sign-in link is unknown or was already used. Please start again.',
      );
    }
    consumed.assertUsableFor('member_connection', now);
    const state = consumed.toSnapshot();
    const memberId = state.memberId!;
    let result: 'connected' | ConnectionResultCode;
    try {
      await this.connect(state, input);
      result = 'connected';
    } catch (error) {
      result = await this.refusalFor(error, state);
    }
    return {
      redirectUrl: connectionResultUrl(this.links, this.clock.now(), {
        workspaceId: state.workspaceId,
        memberId,
        returnUrl: state.returnUrl,
        result,
      }),
      result,
    };
  }

  private async connect(state: AuthorizationStateSnapshot, input: CallbackInput): Promise<void> {
    const { workspaceId } = state;
    const memberId = state.memberId!;
    if (input.refusal) throw input.refusal;
    if (!input.code) {
      throw new MicrosoftError('no code', { kind: 'invalid_request', tenantWide: false, reason: 'no code' });
    }
    const member = await this.members.findById(workspaceId, memberId);
    const workspace = await this.workspaces.findById(workspaceId);
    if (!member || !workspace) throw new Refusal('ACCOUNT_NOT_ACTIVE');
    if (!member.isActive) throw new Refusal('ACCOUNT_NOT_ACTIVE');

    const account = await this.identity.completeSignIn({
      workspaceId,
      memberId,
      code: input.code,
      codeVerifier: state.codeVerifier!,
      nonce: state.nonce!,
      state: state.id,
    });
    const existing = await this.connections.findByMember(workspaceId, memberId);
    // Tokens are kept per account: a refused account's tokens go, the member's working ones stay.
    const dropTokens = async () => {
      if (existing?.homeAccountId === account.homeAccountId) return;
      await this.identity.forget(workspaceId, memberId, account.homeAccountId);
    };
    try {
      if (!workspace.acceptsTenant(account.tenantId)) throw new Refusal('TENANT_MISMATCH');
      const profile = await this.profiles.read(account.accessToken);
      if (
        !member.matchesAccount({
          userId: account.userId,
          mail: profile.mail,
          userPrincipalName: profile.userPrincipalName,
        })
      )
        throw new Refusal('ACCOUNT_MISMATCH');
      // One account, one member: an account bound to another member of the workspace is not this one's
      // (its mail and UPN may match two members). The unique index catches two sign-ins racing.
      const holder = await this.members.findByMicrosoftUser(workspaceId, account.userId);
      if (holder && holder.id !== member.id) throw new Refusal('ACCOUNT_MISMATCH');
      const now = this.clock.now();
      const connected = {
        userId: account.userId,
        tenantId: account.tenantId,
        homeAccountId: account.homeAccountId,
        mailbox: profile.mail ?? profile.userPrincipalName,
        timeZone: profile.timeZone,
        windowsTimeZone: profile.windowsTimeZone,
        workingHours: profile.workingHours,
        teamsEnabled: profile.teamsEnabled,
      };
      let connection: MicrosoftConnection;
      await this.uow.transactional(async () => {
        workspace.bindTenant(account.tenantId, now);
        member.bindMicrosoftAccount(account.userId, now);
        const consent = (await this.consents.find(workspaceId)) ?? TenantConsent.none(workspaceId, now);
        consent.observedSignIn({
          tenantId: account.tenantId,
          scopes: account.grantedScopes,
          member: member.email,
          now,
        });
        if (existing) {
          existing.signedInAgain(connected, now);
          connection = existing;
        } else {
          connection = MicrosoftConnection.connect({ workspaceId, memberId, account: connected, now });
        }
        await this.workspaces.save(workspace);
        await this.members.save(member);
        await this.consents.save(workspaceId, consent);
        await this.connections.save(connection);
        await this.audit.record(workspaceId, {
          type: 'member.connected',
          objectId: memberId,
          details: { tenantId: account.tenantId },
          by: {
            actor: {
              type: 'microsoft_account',
              id: account.userId,
              ...(account.name && { name: account.name }),
            },
            clientAddress: input.clientAddress ?? null,
          },
          occurredAt: now,
        });
      });
      await this.listener.connected(connection!);
    } catch (error) {
      await dropTokens();
      throw error;
    }
  }

  private async refusalFor(error: unknown, state: AuthorizationStateSnapshot): Promise<ConnectionResultCode> {
    if (error instanceof Refusal) return error.code;
    if (error instanceof DomainError) {
      if (
        error.code === 'TENANT_MISMATCH' ||
        error.code === 'ACCOUNT_MISMATCH' ||
        error.code === 'ACCOUNT_NOT_ACTIVE'
      )
        return error.code;
      return 'MICROSOFT_SIGN_IN_FAILED';
    }
    if (error instanceof MicrosoftError) {
      const code = refusalCode(error.verdict);
      if (code === 'ADMIN_CONSENT_REQUIRED') {
        const now = this.clock.now();
        const consent =
          (await this.consents.find(state.workspaceId)) ?? TenantConsent.none(state.workspaceId, now);
        const workspace = await this.workspaces.findById(state.workspaceId);
        consent.requireAdmin(workspace?.tenantId ?? null, error.message, now);
        await this.consents.save(state.workspaceId, consent);
      }
      return code;
    }
    throw error;
  }
}
