// Starts Entra ID admin consent for the workspace's tenant (or a named one before the workspace is bound):
// the link opens kailenty's admin consent page (the permissions and what consent means), whose one
// button follows the link on to Microsoft with a fresh single-use state.
import { ADMIN_CONSENT_STATE_TTL_MS, AuthorizationState } from '@domain/connection/authorization-state.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { isUuid } from '@domain/shared/validation.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { IdentityProvider } from '../ports/identity-provider.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { Secrets } from '../ports/secrets.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** A tenant is named by its id (a GUID), one of its verified domains, or `organizations` (the admin's own). */
const isTenantName = (tenant: string) => isUuid(tenant) || DOMAIN.test(tenant) || tenant === 'organizations';

export class StartAdminConsent {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly states: AuthorizationStateRepository,
    private readonly identity: IdentityProvider,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly links: ConsentLinks,
  ) {}

  /** The link lives as long as the state it used to carry: an hour to read the page and go on. */
  async execute(input: {
    workspaceId: string;
    tenant?: string;
    returnUrl?: string;
  }): Promise<{ adminConsentUrl: string }> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    const returnUrl = workspace.resolveReturnUrl(input.returnUrl);
    if (input.tenant !== undefined && !isTenantName(input.tenant)) {
      throw DomainError.validation([
        { field: 'tenant', message: 'must be a tenant id (GUID) or a verified domain' },
      ]);
    }
    const tenant = input.tenant ?? workspace.tenantId ?? null;
    const expiresAt = new Date(this.clock.now().getTime() + ADMIN_CONSENT_STATE_TTL_MS);
    return {
      adminConsentUrl: this.links.create(
        { kind: 'admin_consent', workspaceId: workspace.id, tenant, returnUrl },
        expiresAt,
      ),
    };
  }

  /** Creates the single-use state and answers Microsoft's adminconsent URL. */
  async begin(workspaceId: string, tenant: string, returnUrl: string | null): Promise<string> {
    const state = AuthorizationState.issue({
      id: this.secrets.randomToken(),
      purpose: 'admin_consent',
      workspaceId,
      memberId: null,
      returnUrl,
      codeVerifier: null,
      nonce: null,
      // The callback must name this tenant; `organizations` lets the administrator's own tenant answer.
      tenant: tenant === 'organizations' ? null : tenant,
      now: this.clock.now(),
    });
    await this.states.add(state);
    return this.identity.adminConsentUrl({ tenant, state: state.id });
  }
}
