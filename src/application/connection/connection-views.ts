// Renders members with their Microsoft connection, adding a one-click repair link where one is needed.
import type { Member } from '@domain/member/member.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { Clock } from '../ports/clock.js';
import { CONSENT_LINK_TTL_MS, ConsentLinks } from '../ports/consent-links.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';
import {
  connectionResource,
  memberResource,
  type MemberResource,
  type MicrosoftConnectionResource,
} from '../member/member-resource.js';

export class ConnectionViews {
  constructor(
    private readonly connections: MicrosoftConnectionRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly links: ConsentLinks,
    private readonly clock: Clock,
  ) {}

  async members(workspaceId: string, members: Member[]): Promise<MemberResource[]> {
    if (members.length === 0) return [];
    const found = await this.connections.findByMembers(
      workspaceId,
      members.map((m) => m.id),
    );
    const byMember = new Map(found.map((c) => [c.memberId, c]));
    const returnUrl = await this.returnUrl(workspaceId, found);
    return members.map((m) => memberResource(m, this.resource(byMember.get(m.id) ?? null, returnUrl)));
  }

  async connection(
    workspaceId: string,
    connection: MicrosoftConnection | null,
  ): Promise<MicrosoftConnectionResource> {
    return this.resource(connection, await this.returnUrl(workspaceId, connection ? [connection] : []));
  }

  private async returnUrl(workspaceId: string, connections: MicrosoftConnection[]): Promise<string | null> {
    if (!connections.some((c) => !c.isUsable)) return null;
    return (await this.workspaces.findById(workspaceId))?.returnUrl ?? null;
  }

  private resource(
    connection: MicrosoftConnection | null,
    returnUrl: string | null,
  ): MicrosoftConnectionResource {
    if (!connection || connection.isUsable || !returnUrl) return connectionResource(connection);
    const expiresAt = new Date(this.clock.now().getTime() + CONSENT_LINK_TTL_MS);
    const url = this.links.create(
      { kind: 'reconnect', workspaceId: connection.workspaceId, memberId: connection.memberId, returnUrl },
      expiresAt,
    );
    return connectionResource(connection, url);
  }
}
