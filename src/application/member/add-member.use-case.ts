// Adds a member to a workspace; the member starts `pending` until an admin activates them.
import { Member, type MemberRole } from '@domain/member/member.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { MemberRepository, duplicateMemberEmail } from '../ports/member.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';

export class AddMember {
  constructor(
    private readonly members: MemberRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: {
    workspaceId: string;
    email: string;
    displayName: string;
    role: MemberRole;
    by: Initiator;
  }): Promise<Member> {
    const now = this.clock.now();
    const member = Member.invite({
      workspaceId: input.workspaceId,
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      id: this.ids.next(),
      now,
    });
    if (await this.members.findByEmail(input.workspaceId, member.email)) {
      throw DomainError.validation([duplicateMemberEmail]);
    }
    await this.uow.transactional(async () => {
      await this.members.add(member);
      await this.audit.record(input.workspaceId, {
        type: 'member.added',
        objectId: member.id,
        details: { role: member.toSnapshot().role },
        by: input.by,
        occurredAt: now,
      });
    });
    return member;
  }
}
