// What a tenant administrator reviews: the consent (scopes, when, by whom), a link to grant it, and which
// members have connected and when they last signed in.
import type { TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { CONSENT_LINK_TTL_MS, ConsentLinks } from '../ports/consent-links.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '../ports/tenant-consent.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface TenantStatus {
  tenantId: string | null;
  consent: Pick<TenantConsentSnapshot, 'status' | 'grantType' | 'scopes' | 'grantedAt' | 'grantedBy'>;
  adminConsentUrl: string;
  adminConsentUrlExpiresAt: Date;
  members: { id: string; email: string; connection: string; lastSignInAt: Date | null }[];
}

export class GetTenantStatus {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly consents: TenantConsentRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly members: MemberRepository,
    private readonly links: ConsentLinks,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string }): Promise<TenantStatus> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    const now = this.clock.now();
    const consent = (
      (await this.consents.find(workspace.id)) ?? TenantConsent.none(workspace.id, now)
    ).toSnapshot();
    const connections = await this.connections.listByWorkspace(workspace.id);
    const members = await this.members.findByIds(
      workspace.id,
      connections.map((c) => c.memberId),
    );
    const byId = new Map(members.map((m) => [m.id, m]));
    const expiresAt = new Date(now.getTime() + CONSENT_LINK_TTL_MS);
    return {
      tenantId: workspace.tenantId ?? consent.tenantId,
      consent: {
        status: consent.status,
        grantType: consent.grantType,
        scopes: consent.scopes,
        grantedAt: consent.grantedAt,
        grantedBy: consent.grantedBy,
      },
      adminConsentUrl: this.links.create(
        {
          kind: 'admin_consent',
          workspaceId: workspace.id,
          tenant: workspace.tenantId,
          returnUrl: workspace.returnUrl,
        },
        expiresAt,
      ),
      adminConsentUrlExpiresAt: expiresAt,
      members: connections
        .filter((c) => byId.has(c.memberId))
        .map((c) => {
          const s = c.toSnapshot();
          return {
            id: s.memberId,
            email: byId.get(s.memberId)!.email,
            connection: s.status,
            lastSignInAt: s.lastSignInAt,
          };
        }),
    };
  }
}
