// Domain objects to the JSON of API.md.
import type { Member } from '@domain/member/member.js';
import type { MemberDto, MicrosoftConnectionDto } from './dto/member.dto.js';

export const NOT_CONNECTED: MicrosoftConnectionDto = {
  connection: 'not_connected',
  userId: null,
  tenantId: null,
  timeZone: null,
  teamsEnabled: null,
  connectedAt: null,
  lastSignInAt: null,
};

export function presentMember(member: Member, microsoft: MicrosoftConnectionDto = NOT_CONNECTED): MemberDto {
  const s = member.toSnapshot();
  return {
    id: s.id,
    email: s.email,
    displayName: s.displayName,
    role: s.role,
    status: s.status,
    microsoft,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
