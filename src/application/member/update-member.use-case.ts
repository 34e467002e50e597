// Activates, disables or renames a member, or changes their role.
import type { Member, MemberChanges } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { MemberRepository } from '../ports/member.repository.js';

export class UpdateMember {
  constructor(
    private readonly members: MemberRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string; memberId: string; changes: MemberChanges }): Promise<Member> {
    const member = await this.members.findById(input.workspaceId, input.memberId);
    if (!member) throw DomainError.notFound('Member');
    member.change(input.changes, this.clock.now());
    await this.members.save(member);
    return member;
  }
}
