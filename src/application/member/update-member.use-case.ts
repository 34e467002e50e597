// Activates, disables or renames a member, or changes their role.
import type { Member, MemberChanges } from '@domain/member/member.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { MemberRepository } from '../ports/member.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';

export class UpdateMember {
  constructor(
    private readonly members: MemberRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: {
    workspaceId: string;
    memberId: string;
    changes: MemberChanges;
    by: Initiator;
  }): Promise<Member> {
    const member = await this.members.findById(input.workspaceId, input.memberId);
    if (!member) throw DomainError.notFound('Member');
    const now = this.clock.now();
    const from = member.status;
    member.change(input.changes, now);
    await this.uow.transactional(async () => {
      await this.members.save(member);
      // Only a status that really changed is an access change worth recording.
      if (member.status !== from) {
        await this.audit.record(input.workspaceId, {
          type: 'member.status_changed',
          objectId: member.id,
          details: { from, to: member.status },
          by: input.by,
          occurredAt: now,
        });
      }
    });
    return member;
  }
}
