// Lists a workspace's members, a page at a time.
import type { Member } from '@domain/member/member.js';
import { MemberRepository } from '../ports/member.repository.js';
import type { Page, PageRequest } from '../shared/page.js';

export class ListMembers {
  constructor(private readonly members: MemberRepository) {}

  execute(input: { workspaceId: string; page: PageRequest }): Promise<Page<Member>> {
    return this.members.list(input.workspaceId, input.page);
  }
}
