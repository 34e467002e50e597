// What kailenty's connection result page shows: the outcome the callback decided (from its signed,
// short-lived link, never from free query parameters), the member's name and mailbox as stored, and for a
// tenant that needs an administrator a fresh 7-day admin consent link to hand to one.
import { Clock } from '../ports/clock.js';
import { CONSENT_LINK_TTL_MS, ConsentLinks } from '../ports/consent-links.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface ConnectionResultView {
  /** 'connected' or the refusal's code (ConnectionResultCode). */
  result: string;
  memberId: string;
  memberName: string;
  memberEmail: string;
  /** The connected mailbox (null when the member has no connection). */
  mailbox: string | null;
  /** Whether the connected account can create Teams meetings (null when not connected). */
  teamsEnabled: boolean | null;
  /** For ADMIN_CONSENT_REQUIRED: the link to hand to an administrator, and until when it works. */
  adminConsent: { url: string; expiresAt: Date } | null;
}

export class GetConnectionResult {
  constructor(
    private readonly links: ConsentLinks,
    private readonly workspaces: WorkspaceRepository,
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly clock: Clock,
  ) {}

  /** Null when the link is forged, expired, or its member is gone. */
  async execute(token: string): Promise<ConnectionResultView | null> {
    const now = this.clock.now();
    const link = this.links.open(token, now);
    if (!link || link.kind !== 'connection_result') return null;
    const [workspace, member] = await Promise.all([
      this.workspaces.findById(link.workspaceId),
      this.members.findById(link.workspaceId, link.memberId),
    ]);
    if (!workspace || !member) return null;
    const connection = await this.connections.findByMember(link.workspaceId, member.id);
    let adminConsent: ConnectionResultView['adminConsent'] = null;
    if (link.result === 'ADMIN_CONSENT_REQUIRED') {
      const expiresAt = new Date(now.getTime() + CONSENT_LINK_TTL_MS);
      adminConsent = {
        url: this.links.create(
          {
            kind: 'admin_consent',
            workspaceId: workspace.id,
            tenant: workspace.tenantId,
            returnUrl: workspace.returnUrl,
          },
          expiresAt,
        ),
        expiresAt,
      };
    }
    const snapshot = member.toSnapshot();
    return {
      result: link.result,
      memberId: member.id,
      memberName: snapshot.displayName,
      memberEmail: snapshot.email,
      mailbox: connection?.mailbox ?? null,
      teamsEnabled: connection ? connection.teamsEnabled : null,
      adminConsent,
    };
  }
}
