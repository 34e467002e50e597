// What kailenty's admin consent page shows before Microsoft: the link's workspace and tenant (the page
// lists the permissions and one button on to Microsoft).
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface AdminConsentPageView {
  workspaceName: string;
  /** The tenant the link is for (id or domain); null: the administrator's own organisation. */
  tenant: string | null;
}

export class OpenAdminConsentPage {
  constructor(
    private readonly links: ConsentLinks,
    private readonly workspaces: WorkspaceRepository,
    private readonly clock: Clock,
  ) {}

  /** Null when the link is forged or expired (the page then says so, with no button). */
  async execute(token: string): Promise<AdminConsentPageView | null> {
    const link = this.links.open(token, this.clock.now());
    if (!link || link.kind !== 'admin_consent') return null;
    const workspace = await this.workspaces.findById(link.workspaceId);
    if (!workspace) return null;
    return { workspaceName: workspace.name, tenant: link.tenant };
  }
}
