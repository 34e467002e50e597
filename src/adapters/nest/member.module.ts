// Members: use cases and the members controller.
import { Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { GetMember } from '@application/member/get-member.use-case.js';
import { ListMembers } from '@application/member/list-members.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { MembersController } from '../http/controllers/members.controller.js';
import { construct } from './provide.js';

@Module({
  controllers: [MembersController],
  providers: [
    construct(AddMember, [MemberRepository, IdGenerator, Clock, UnitOfWork, AuditTrail]),
    construct(GetMember, [MemberRepository]),
    construct(ListMembers, [MemberRepository]),
    construct(UpdateMember, [MemberRepository, Clock, UnitOfWork, AuditTrail]),
  ],
  exports: [AddMember, GetMember, UpdateMember],
})
export class MemberModule {}
