// Members: use cases and the members controller.
import { Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { GetMember } from '@application/member/get-member.use-case.js';
import { ListMembers } from '@application/member/list-members.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { MembersController } from '../http/controllers/members.controller.js';

@Module({
  controllers: [MembersController],
  providers: [
    {
      provide: AddMember,
      useFactory: (m: MemberRepository, i: IdGenerator, c: Clock) => new AddMember(m, i, c),
      inject: [MemberRepository, IdGenerator, Clock],
    },
    { provide: GetMember, useFactory: (m: MemberRepository) => new GetMember(m), inject: [MemberRepository] },
    {
      provide: ListMembers,
      useFactory: (m: MemberRepository) => new ListMembers(m),
      inject: [MemberRepository],
    },
    {
      provide: UpdateMember,
      useFactory: (m: MemberRepository, c: Clock) => new UpdateMember(m, c),
      inject: [MemberRepository, Clock],
    },
  ],
  exports: [AddMember, GetMember, UpdateMember],
})
export class MemberModule {}
