// A member's Microsoft connection as API.md shows it.
import { DomainError } from '@domain/shared/domain-error.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import type { MicrosoftConnectionResource } from '../member/member-resource.js';
import { ConnectionViews } from './connection-views.js';

export class GetMicrosoftConnection {
  constructor(
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly views: ConnectionViews,
  ) {}

  async execute(input: { workspaceId: string; memberId: string }): Promise<MicrosoftConnectionResource> {
    if (!(await this.members.findById(input.workspaceId, input.memberId)))
      throw DomainError.notFound('Member');
    const connection = await this.connections.findByMember(input.workspaceId, input.memberId);
    return this.views.connection(input.workspaceId, connection);
  }
}
