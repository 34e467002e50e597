// Adds a member to a workspace; the member starts `pending` until an admin activates them.
import { Member, type MemberRole } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { MemberRepository, duplicateMemberEmail } from '../ports/member.repository.js';

export class AddMember {
  constructor(
    private readonly members: MemberRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    email: string;
    displayName: string;
    role: MemberRole;
  }): Promise<Member> {
    const member = Member.invite({ ...input, id: this.ids.next(), now: this.clock.now() });
    if (await this.members.findByEmail(input.workspaceId, member.email)) {
      throw DomainError.validation([duplicateMemberEmail]);
    }
    await this.members.add(member);
    return member;
  }
}
