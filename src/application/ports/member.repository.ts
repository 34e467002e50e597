// Where members are kept; every method is scoped to a workspace.
import type { Member } from '@domain/member/member.js';
import type { Page, PageRequest } from '../shared/page.js';

export abstract class MemberRepository {
  /** Adds a member; throws VALIDATION_FAILED on `email` when the workspace already has that email. */
  abstract add(member: Member): Promise<void>;
  abstract findById(workspaceId: string, id: string): Promise<Member | null>;
  abstract findByIds(workspaceId: string, ids: string[]): Promise<Member[]>;
  abstract findByEmail(workspaceId: string, email: string): Promise<Member | null>;
  abstract list(workspaceId: string, page: PageRequest): Promise<Page<Member>>;
  abstract save(member: Member): Promise<void>;
}

export const duplicateMemberEmail = { field: 'email', message: 'a member with this email already exists' };
