// What kailenty's admin consent result page shows: the outcome the callback decided, from its signed
// short-lived link, with the permissions recorded and, when it failed, a fresh link to retry.
import { ADMIN_CONSENT_STATE_TTL_MS } from '@domain/connection/authorization-state.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { TenantConsentRepository } from '../ports/tenant-consent.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface AdminConsentResultView {
  /** 'admin_consent_granted' or the refusal's code (AdminConsentResultCode). */
  result: string;
  workspaceName: string;
  tenantId: string | null;
  /** The scopes recorded for the tenant (granted only). */
  scopes: string[];
  /** What went wrong and who must do what (refusals only). */
  message: string | null;
  /** A fresh admin consent link to try again (refusals only). */
  retryUrl: string | null;
}

export class GetAdminConsentResult {
  constructor(
    private readonly links: ConsentLinks,
    private readonly workspaces: WorkspaceRepository,
    private readonly consents: TenantConsentRepository,
    private readonly clock: Clock,
  ) {}

  /** Null when the link is forged or expired. */
  async execute(token: string): Promise<AdminConsentResultView | null> {
    const now = this.clock.now();
    const link = this.links.open(token, now);
    if (!link || link.kind !== 'admin_consent_result') return null;
    const workspace = await this.workspaces.findById(link.workspaceId);
    if (!workspace) return null;
    const granted = link.result === 'admin_consent_granted';
    const consent = granted ? await this.consents.find(workspace.id) : null;
    return {
      result: link.result,
      workspaceName: workspace.name,
      tenantId: link.tenantId,
      scopes: consent ? [...consent.toSnapshot().scopes] : [],
      message: link.message,
      retryUrl: granted
        ? null
        : this.links.create(
            { kind: 'admin_consent', workspaceId: workspace.id, tenant: link.tenant, returnUrl: null },
            new Date(now.getTime() + ADMIN_CONSENT_STATE_TTL_MS),
          ),
    };
  }
}
