// Renders members with their Microsoft connection; the connection part is filled in by whichever
// source of connection state the app is wired with (none: every member is not_connected).
import type { Member } from '@domain/member/member.js';
import type { MemberDto, MicrosoftConnectionDto } from './dto/member.dto.js';
import { presentMember } from './presenters.js';

export abstract class ConnectionStatusSource {
  abstract forMembers(workspaceId: string, memberIds: string[]): Promise<Map<string, MicrosoftConnectionDto>>;
}

export class MemberView {
  constructor(private readonly connections: ConnectionStatusSource | null) {}

  async one(member: Member): Promise<MemberDto> {
    return (await this.many([member]))[0]!;
  }

  async many(members: Member[]): Promise<MemberDto[]> {
    if (members.length === 0) return [];
    const statuses = this.connections
      ? await this.connections.forMembers(
          members[0]!.workspaceId,
          members.map((m) => m.id),
        )
      : new Map<string, MicrosoftConnectionDto>();
    return members.map((m) => presentMember(m, statuses.get(m.id)));
  }
}
