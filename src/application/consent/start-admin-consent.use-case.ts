// Starts Entra ID admin consent for the workspace's tenant (or a named one before the workspace is bound):
// the link opens kailenty's admin consent page (the permissions and what consent means), whose one
// button follows the link on to Microsoft with a fresh single-use state.
import { ADMIN_CONSENT_STATE_TTL_MS, AuthorizationState } from '@domain/connection/authorization-state.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { IdentityProvider } from '../ports/identity-provider.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { Secrets } from '../ports/secrets.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

const TENANT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+|organizations)$/i;

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
    if (input.tenant !== undefined && !TENANT.test(input.tenant)) {
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

/** Follows the 7-day link from the tenant status: creates the state now and goes on to Microsoft. */
export class FollowAdminConsentLink {
  constructor(
    private readonly links: ConsentLinks,
    private readonly start: StartAdminConsent,
    private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<{ redirectUrl: string }> {
    const link = this.links.open(token, this.clock.now());
    if (!link || link.kind !== 'admin_consent') {
      throw new DomainError('INVALID_STATE', 'This admin consent link is not valid or has expired.');
    }
    return {
      redirectUrl: await this.start.begin(link.workspaceId, link.tenant ?? 'organizations', link.returnUrl),
    };
  }
}
