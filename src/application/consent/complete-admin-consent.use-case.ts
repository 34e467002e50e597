// Entra ID sends the administrator back from admin consent, then from their sign-in. Microsoft's
// `admin_consent=True&tenant=…` proves nothing by itself (anyone can type it), and a working app-only
// token only proves that someone in that tenant consented once. So the grant is recorded only when,
// within one chain of single-use states, an administrator of that tenant signed in to the app (whose
// directory roles, where the token carries them, may grant tenant-wide consent) and the app-only token
// works. The first callback hands its state over to the sign-in; the second records the grant.
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { isOutage } from '@domain/consent/microsoft-failure.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { isUuid } from '@domain/shared/validation.js';
import { Clock } from '../ports/clock.js';
import { IdentityProvider, MicrosoftError, type SignedInAdministrator } from '../ports/identity-provider.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { TenantConsentRepository } from '../ports/tenant-consent.repository.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Secrets } from '../ports/secrets.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';
import { withParams } from '../shared/urls.js';
import { ConsentLinks, RESULT_LINK_TTL_MS } from '../ports/consent-links.js';

export interface AdminConsentCallback {
  state: string | undefined;
  /** The consent leg: what the adminconsent endpoint sends back. */
  adminConsent?: string;
  tenant?: string;
  scope?: string;
  /** The sign-in leg: the administrator's authorization code. */
  code?: string;
  /** Entra ID's redirect reported a failure (`error`, `error_description`), read by the inbound adapter. */
  refusal?: MicrosoftError;
  /** The browser's address, for the audit trail. */
  clientAddress?: string | null;
}

export type AdminConsentResultCode =
  'ADMIN_CONSENT_DECLINED' | 'ADMIN_CONSENT_NOT_VERIFIED' | 'TENANT_MISMATCH' | 'MICROSOFT_UNAVAILABLE';

export type AdminConsentOutcome =
  /** On to the administrator's sign-in (the redirect goes to Microsoft). */
  | { result: 'admin_sign_in'; redirectUrl: string }
  | {
      result: 'admin_consent_granted';
      redirectUrl: string;
      tenantId: string;
      grantedBy: SignedInAdministrator;
    }
  | { result: AdminConsentResultCode; redirectUrl: string; message: string };

const sameTenant = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The sentence a person reads with each refusal: what happened and who must do what. */
export const ADMIN_CONSENT_MESSAGES = {
  declined:
    'The administrator declined the permissions. Nothing was granted; open the consent link again to approve them.',
  notAdmin:
    'The account that signed in cannot grant consent for the organisation. Ask a Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator of the tenant to open the admin consent link.',
  otherTenant:
    'The account that signed in belongs to another organisation than the one that consented. The administrator must sign in with an account of the organisation that granted consent.',
  signInFailed:
    "The administrator's sign-in did not complete, so kailenty cannot tell who granted consent. Open the admin consent link again and sign in with the administrator's account.",
  notGranted:
    'Microsoft does not confirm that kailenty is consented in this organisation. Open the admin consent link again and approve the permissions as an administrator.',
  wrongTenant:
    "The consent was given for another organisation than this workspace's (or than the one the link was made for). Open the link with an administrator of the workspace's organisation.",
  unavailable: 'Microsoft could not be reached to confirm the consent. Please try again in a few minutes.',
} as const;

export class CompleteAdminConsent {
  constructor(
    private readonly states: AuthorizationStateRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly consents: TenantConsentRepository,
    private readonly identity: IdentityProvider,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly links: ConsentLinks,
  ) {}

  /**
   * Where the browser goes: the product's return URL with the result, or (no return URL) kailenty's
   * admin consent result page through a short-lived signed link. Throws INVALID_STATE when there is no
   * trusted place to send the browser.
   */
  async execute(input: AdminConsentCallback): Promise<AdminConsentOutcome> {
    const now = this.clock.now();
    const consumed = input.state ? await this.states.consume(input.state, now) : null;
    if (!consumed)
      throw new DomainError('INVALID_STATE', 'This consent link is unknown or was already used.');
    // A member's sign-in state is no use here: assertUsableFor refuses any purpose but the one asked.
    const signInLeg = consumed.toSnapshot().purpose === 'admin_sign_in';
    consumed.assertUsableFor(signInLeg ? 'admin_sign_in' : 'admin_consent', now);
    const state = consumed.toSnapshot();
    return signInLeg ? this.afterSignIn(state, input) : this.afterConsent(state, input);
  }

  /** Microsoft says consent was given: check the tenant, then send the administrator to sign in. */
  private async afterConsent(
    state: AuthorizationStateSnapshot,
    input: AdminConsentCallback,
  ): Promise<AdminConsentOutcome> {
    const fail = this.refusal(state);
    if (input.refusal) {
      if (input.refusal.verdict.kind === 'consent_declined')
        return fail('ADMIN_CONSENT_DECLINED', ADMIN_CONSENT_MESSAGES.declined);
      if (isOutage(input.refusal.verdict))
        return fail('MICROSOFT_UNAVAILABLE', ADMIN_CONSENT_MESSAGES.unavailable);
      return fail('ADMIN_CONSENT_NOT_VERIFIED', ADMIN_CONSENT_MESSAGES.notGranted);
    }
    const tenantId = input.tenant;
    if (!tenantId || !isUuid(tenantId) || input.adminConsent?.toLowerCase() !== 'true')
      return fail('ADMIN_CONSENT_NOT_VERIFIED', ADMIN_CONSENT_MESSAGES.notGranted);
    const workspace = await this.workspaces.findById(state.workspaceId);
    if (!workspace) throw new DomainError('INVALID_STATE', 'This consent link is not valid anymore.');
    if (!workspace.acceptsTenant(tenantId))
      return fail('TENANT_MISMATCH', ADMIN_CONSENT_MESSAGES.wrongTenant);
    try {
      // A link made for a tenant (id or verified domain) is for that tenant only.
      if (state.tenant) {
        const linkTenant = isUuid(state.tenant) ? state.tenant : await this.identity.tenantIdOf(state.tenant);
        if (!sameTenant(linkTenant, tenantId))
          return fail('TENANT_MISMATCH', ADMIN_CONSENT_MESSAGES.wrongTenant);
      }
      const signIn = AuthorizationState.issue({
        id: this.secrets.randomToken(),
        purpose: 'admin_sign_in',
        workspaceId: state.workspaceId,
        memberId: null,
        returnUrl: state.returnUrl,
        codeVerifier: null,
        nonce: null,
        tenant: tenantId,
        now: this.clock.now(),
      });
      const start = await this.identity.startAdministratorSignIn({ tenant: tenantId, state: signIn.id });
      await this.states.add(
        AuthorizationState.fromSnapshot({
          ...signIn.toSnapshot(),
          codeVerifier: start.codeVerifier,
          nonce: start.nonce,
        }),
      );
      return { result: 'admin_sign_in', redirectUrl: start.url };
    } catch (error) {
      return this.microsoftRefusal(error, fail, ADMIN_CONSENT_MESSAGES.notGranted);
    }
  }

  /** The administrator signed in: who, in which tenant, with which roles; then the app-only proof. */
  private async afterSignIn(
    state: AuthorizationStateSnapshot,
    input: AdminConsentCallback,
  ): Promise<AdminConsentOutcome> {
    const fail = this.refusal(state);
    const tenantId = state.tenant!;
    if (input.refusal || !input.code) {
      if (input.refusal && isOutage(input.refusal.verdict))
        return fail('MICROSOFT_UNAVAILABLE', ADMIN_CONSENT_MESSAGES.unavailable);
      return fail('ADMIN_CONSENT_NOT_VERIFIED', ADMIN_CONSENT_MESSAGES.signInFailed);
    }
    let admin: SignedInAdministrator;
    let scopes: string[];
    try {
      admin = await this.identity.completeAdministratorSignIn({
        tenant: tenantId,
        code: input.code,
        codeVerifier: state.codeVerifier!,
        nonce: state.nonce!,
        state: state.id,
      });
      if (!sameTenant(admin.tenantId, tenantId))
        return fail('ADMIN_CONSENT_NOT_VERIFIED', ADMIN_CONSENT_MESSAGES.otherTenant);
      if (admin.mayGrantTenantWideConsent === false)
        return fail('ADMIN_CONSENT_NOT_VERIFIED', ADMIN_CONSENT_MESSAGES.notAdmin);
      ({ scopes } = await this.identity.verifyTenantGrant(tenantId));
    } catch (error) {
      return this.microsoftRefusal(error, fail, ADMIN_CONSENT_MESSAGES.signInFailed);
    }
    const now = this.clock.now();
    const workspace = await this.workspaces.findById(state.workspaceId);
    if (!workspace) throw new DomainError('INVALID_STATE', 'This consent link is not valid anymore.');
    // Checked again: another member or administrator may have bound the workspace meanwhile.
    if (!workspace.acceptsTenant(tenantId))
      return fail('TENANT_MISMATCH', ADMIN_CONSENT_MESSAGES.wrongTenant);
    await this.uow.transactional(async () => {
      workspace.bindTenant(tenantId, now);
      const consent = (await this.consents.find(workspace.id)) ?? TenantConsent.none(workspace.id, now);
      consent.grantedByAdmin({ tenantId, scopes, grantedBy: describeAdministrator(admin), now });
      await this.workspaces.save(workspace);
      await this.consents.save(workspace.id, consent);
      await this.audit.record(workspace.id, {
        type: 'admin_consent.granted',
        objectId: tenantId,
        details: { scopes },
        by: {
          actor: {
            type: 'microsoft_account',
            id: admin.userId,
            name: admin.name ?? admin.username ?? undefined,
          },
          clientAddress: input.clientAddress ?? null,
        },
        occurredAt: now,
      });
    });
    return {
      result: 'admin_consent_granted',
      redirectUrl: this.resultUrl(state, { result: 'admin_consent_granted', tenantId, message: null }),
      tenantId,
      grantedBy: admin,
    };
  }

  private refusal(state: AuthorizationStateSnapshot) {
    return (code: AdminConsentResultCode, message: string): AdminConsentOutcome => ({
      result: code,
      message,
      redirectUrl: this.resultUrl(state, { result: code, tenantId: null, message }),
    });
  }

  private resultUrl(
    state: AuthorizationStateSnapshot,
    outcome: { result: string; tenantId: string | null; message: string | null },
  ): string {
    if (state.returnUrl === null) {
      // The consent leg keeps the tenant its link named; the sign-in leg the one Microsoft reported.
      return this.links.create(
        { kind: 'admin_consent_result', workspaceId: state.workspaceId, tenant: state.tenant, ...outcome },
        new Date(this.clock.now().getTime() + RESULT_LINK_TTL_MS),
      );
    }
    return outcome.result === 'admin_consent_granted'
      ? withParams(state.returnUrl, { result: outcome.result, tenantId: outcome.tenantId })
      : withParams(state.returnUrl, { result: 'error', code: outcome.result, message: outcome.message });
  }

  private microsoftRefusal(
    error: unknown,
    fail: ReturnType<CompleteAdminConsent['refusal']>,
    message: string,
  ): AdminConsentOutcome {
    if (!(error instanceof MicrosoftError)) throw error;
    return isOutage(error.verdict)
      ? fail('MICROSOFT_UNAVAILABLE', ADMIN_CONSENT_MESSAGES.unavailable)
      : fail('ADMIN_CONSENT_NOT_VERIFIED', message);
  }
}

/** `grantedBy` as people read it: the administrator's name and object id. */
export function describeAdministrator(admin: SignedInAdministrator): string {
  return `${admin.name ?? admin.username ?? 'Administrator'} (oid ${admin.userId})`;
}
