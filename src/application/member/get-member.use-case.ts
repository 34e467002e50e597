// Reads one member of a workspace; another workspace's member is simply not found.
import type { Member } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { MemberRepository } from '../ports/member.repository.js';

export class GetMember {
  constructor(private readonly members: MemberRepository) {}

  async execute(input: { workspaceId: string; memberId: string }): Promise<Member> {
    const member = await this.members.findById(input.workspaceId, input.memberId);
    if (!member) throw DomainError.notFound('Member');
    return member;
  }
}
