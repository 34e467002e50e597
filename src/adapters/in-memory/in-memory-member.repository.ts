// In-memory members for fast tests of use cases; same rules as the database (unique email per workspace).
import { Member, type MemberSnapshot } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  MemberRepository,
  accountOfAnotherMember,
  duplicateMemberEmail,
} from '@application/ports/member.repository.js';
import { type Page, type PageRequest } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';

export class InMemoryMemberRepository extends MemberRepository {
  private readonly rows = new Map<string, MemberSnapshot>();

  async add(member: Member): Promise<void> {
    const snapshot = member.toSnapshot();
    const clash = [...this.rows.values()].some(
      (row) =>
        row.workspaceId === snapshot.workspaceId && row.email.toLowerCase() === snapshot.email.toLowerCase(),
    );
    if (clash) throw DomainError.validation([duplicateMemberEmail]);
    this.rows.set(member.id, snapshot);
  }

  async findById(workspaceId: string, id: string): Promise<Member | null> {
    const row = this.rows.get(id);
    return row && row.workspaceId === workspaceId ? Member.fromSnapshot(row) : null;
  }

  async findByIds(workspaceId: string, ids: string[]): Promise<Member[]> {
    const found: Member[] = [];
    for (const id of ids) {
      const member = await this.findById(workspaceId, id);
      if (member) found.push(member);
    }
    return found;
  }

  async findByEmail(workspaceId: string, email: string): Promise<Member | null> {
    const row = [...this.rows.values()].find(
      (r) => r.workspaceId === workspaceId && r.email.toLowerCase() === email.toLowerCase(),
    );
    return row ? Member.fromSnapshot(row) : null;
  }

  async findByMicrosoftUser(workspaceId: string, microsoftUserId: string): Promise<Member | null> {
    const row = [...this.rows.values()].find(
      (r) => r.workspaceId === workspaceId && r.microsoftUserId === microsoftUserId,
    );
    return row ? Member.fromSnapshot(row) : null;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<Member>> {
    const rows = [...this.rows.values()].filter((r) => r.workspaceId === workspaceId);
    return pageOf(rows, page, (r) => Member.fromSnapshot(r));
  }

  async save(member: Member): Promise<void> {
    const row = this.rows.get(member.id);
    if (!row || row.workspaceId !== member.workspaceId) return;
    const snapshot = member.toSnapshot();
    // As the database's unique index members_workspace_microsoft_user_uq: one member per account.
    const holder =
      snapshot.microsoftUserId === null
        ? null
        : await this.findByMicrosoftUser(snapshot.workspaceId, snapshot.microsoftUserId);
    if (holder && holder.id !== member.id) throw accountOfAnotherMember();
    this.rows.set(member.id, snapshot);
  }
}
