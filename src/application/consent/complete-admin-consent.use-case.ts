// Entra ID sends the administrator back. `tenant` and `admin_consent=True` prove nothing by themselves:
// the grant is recorded only once an app-only token for that tenant works.
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { IdentityProvider, MicrosoftError } from '../ports/identity-provider.js';
import {
  AuthorizationStateRepository,
  TenantConsentRepository,
} from '../ports/microsoft-connection.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';
import { withParams } from '../shared/urls.js';
import { aadstsCodes } from '../connection/complete-microsoft-connection.use-case.js';

export interface AdminConsentCallback {
  state: string | undefined;
  adminConsent?: string;
  tenant?: string;
  scope?: string;
  error?: string;
  errorDescription?: string;
}

export type AdminConsentResultCode =
  'ADMIN_CONSENT_DECLINED' | 'ADMIN_CONSENT_NOT_VERIFIED' | 'TENANT_MISMATCH' | 'MICROSOFT_UNAVAILABLE';

export class CompleteAdminConsent {
  constructor(
    private readonly states: AuthorizationStateRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly consents: TenantConsentRepository,
    private readonly identity: IdentityProvider,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(input: AdminConsentCallback): Promise<{ redirectUrl: string; result: string }> {
    const now = this.clock.now();
    const consumed = input.state ? await this.states.consume(input.state, now) : null;
    if (!consumed)
      throw new DomainError('INVALID_STATE', 'This consent link is unknown or was already used.');
    consumed.assertUsableFor('admin_consent', now);
    const { workspaceId, returnUrl } = consumed.toSnapshot();
    const fail = (code: AdminConsentResultCode) => ({
      redirectUrl: withParams(returnUrl, { result: 'error', code }),
      result: code,
    });

    if (input.error) {
      const codes = aadstsCodes(input.errorDescription);
      return fail(
        input.error === 'access_denied' || codes.includes(65004)
          ? 'ADMIN_CONSENT_DECLINED'
          : 'ADMIN_CONSENT_NOT_VERIFIED',
      );
    }
    const tenantId = input.tenant;
    if (!tenantId || input.adminConsent?.toLowerCase() !== 'true') return fail('ADMIN_CONSENT_NOT_VERIFIED');
    const workspace = await this.workspaces.findById(workspaceId);
    if (!workspace) throw new DomainError('INVALID_STATE', 'This consent link is not valid anymore.');
    if (!workspace.acceptsTenant(tenantId)) return fail('TENANT_MISMATCH');

    let scopes: string[];
    try {
      ({ scopes } = await this.identity.verifyTenantGrant(tenantId));
    } catch (error) {
      if (error instanceof MicrosoftError) {
        const kind = error.facts.graphStatus === 429 || error.facts.error === 'temporarily_unavailable';
        return fail(kind ? 'MICROSOFT_UNAVAILABLE' : 'ADMIN_CONSENT_NOT_VERIFIED');
      }
      throw error;
    }
    await this.uow.transactional(async () => {
      workspace.bindTenant(tenantId, now);
      const consent = (await this.consents.find(workspaceId)) ?? TenantConsent.none(workspaceId, now);
      consent.grantedByAdmin({ tenantId, scopes, grantedBy: `administrator of ${tenantId}`, now });
      await this.workspaces.save(workspace);
      await this.consents.save(workspaceId, consent);
    });
    return {
      redirectUrl: withParams(returnUrl, { result: 'admin_consent_granted', tenantId }),
      result: 'admin_consent_granted',
    };
  }
}
