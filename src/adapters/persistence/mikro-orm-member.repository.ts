// Members in PostgreSQL (server or PGlite); a duplicate email is refused by a unique index, not by a pre-check.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Member, type MemberSnapshot } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  MemberRepository,
  accountOfAnotherMember,
  duplicateMemberEmail,
} from '@application/ports/member.repository.js';
import { toPage, type Page, type PageRequest } from '@application/shared/page.js';
import { MemberSchema, type MemberRecord } from './schemas/member.schema.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute, findIn, fresh } from './sql.js';

export class MikroOrmMemberRepository extends MemberRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(member: Member): Promise<void> {
    try {
      await this.em.insert(MemberSchema, member.toSnapshot());
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw DomainError.validation([duplicateMemberEmail]);
      throw error;
    }
  }

  async findById(workspaceId: string, id: string): Promise<Member | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(MemberSchema, { id, workspaceId }, fresh);
    return row ? toDomain(row) : null;
  }

  async findByIds(workspaceId: string, ids: string[]): Promise<Member[]> {
    return (await findIn(this.em, MemberSchema, 'id', workspaceId, ids)).map(toDomain);
  }

  async findByEmail(workspaceId: string, email: string): Promise<Member | null> {
    const rows = await execute<MemberRecord>(
      this.em,
      'select id from members where workspace_id = ? and lower(email) = lower(?)',
      [workspaceId, email],
    );
    const first = rows[0];
    return first ? this.findById(workspaceId, first.id) : null;
  }

  async findByMicrosoftUser(workspaceId: string, microsoftUserId: string): Promise<Member | null> {
    const row = await this.em.findOne(MemberSchema, { workspaceId, microsoftUserId }, fresh);
    return row ? toDomain(row) : null;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<Member>> {
    const rows = await this.em.find(MemberSchema, pagedWhere({ workspaceId }, page), pagedOptions(page));
    return toPage(rows, page.limit, toDomain);
  }

  async save(member: Member): Promise<void> {
    const { id, workspaceId, ...rest } = member.toSnapshot();
    try {
      await this.em.nativeUpdate(MemberSchema, { id, workspaceId }, rest);
    } catch (error) {
      // members_workspace_microsoft_user_uq: two sign-ins racing to bind one account to two members.
      if (error instanceof UniqueConstraintViolationException) throw accountOfAnotherMember();
      throw error;
    }
  }
}

function toDomain(row: MemberRecord): Member {
  return Member.fromSnapshot(row as MemberSnapshot);
}
