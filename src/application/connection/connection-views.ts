// Renders members with their Microsoft connection, adding a one-click repair link where one is needed.
import type { Member } from '@domain/member/member.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { Clock } from '../ports/clock.js';
import { CONSENT_LINK_TTL_MS, ConsentLinks } from '../ports/consent-links.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';
import { ChangeNotificationCoverage } from '../ports/change-notification-coverage.js';
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
    /** Says whether each connected member's calendar changes are pushed to us (microsoft.changeNotifications). */
    private readonly coverage?: ChangeNotificationCoverage,
  ) {}

  async members(workspaceId: string, members: Member[]): Promise<MemberResource[]> {
    if (members.length === 0) return [];
    const found = await this.connections.findByMembers(
      workspaceId,
      members.map((m) => m.id),
    );
    const byMember = new Map(found.map((c) => [c.memberId, c]));
    const returnUrl = await this.returnUrl(workspaceId, found);
    const live = await this.live(workspaceId, found);
    return members.map((m) =>
      memberResource(m, this.withCoverage(this.resource(byMember.get(m.id) ?? null, returnUrl), m.id, live)),
    );
  }

  async connection(
    workspaceId: string,
    connection: MicrosoftConnection | null,
  ): Promise<MicrosoftConnectionResource> {
    const found = connection ? [connection] : [];
    const resource = this.resource(connection, await this.returnUrl(workspaceId, found));
    return this.withCoverage(resource, connection?.memberId ?? '', await this.live(workspaceId, found));
  }

  private async live(workspaceId: string, connections: MicrosoftConnection[]): Promise<Set<string> | null> {
    if (!this.coverage || connections.length === 0) return null;
    return this.coverage.liveMembers(
      workspaceId,
      connections.map((c) => c.memberId),
      this.clock.now(),
    );
  }

  private withCoverage(
    resource: MicrosoftConnectionResource,
    memberId: string,
    live: Set<string> | null,
  ): MicrosoftConnectionResource {
    if (!live || resource.connection === 'not_connected') return resource;
    return { ...resource, changeNotifications: live.has(memberId) ? 'active' : 'unavailable' };
  }

  /** The workspace's return URL when a repair link is needed (null: kailenty's result page); else undefined. */
  private async returnUrl(
    workspaceId: string,
    connections: MicrosoftConnection[],
  ): Promise<string | null | undefined> {
    if (!connections.some((c) => !c.isUsable)) return undefined;
    const workspace = await this.workspaces.findById(workspaceId);
    return workspace ? workspace.returnUrl : undefined;
  }

  private resource(
    connection: MicrosoftConnection | null,
    returnUrl: string | null | undefined,
  ): MicrosoftConnectionResource {
    if (!connection || connection.isUsable || returnUrl === undefined) return connectionResource(connection);
    const now = this.clock.now().getTime();
    const url = this.links.create(
      {
        kind: 'reconnect',
        workspaceId: connection.workspaceId,
        memberId: connection.memberId,
        returnUrl,
        issuedAt: now,
      },
      new Date(now + CONSENT_LINK_TTL_MS),
    );
    return connectionResource(connection, url);
  }
}
