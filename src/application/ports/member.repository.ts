// Where members are kept; every method is scoped to a workspace.
import type { Member } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import type { Page, PageRequest } from '../shared/page.js';

export abstract class MemberRepository {
  /** Adds a member; throws VALIDATION_FAILED on `email` when the workspace already has that email. */
  abstract add(member: Member): Promise<void>;
  abstract findById(workspaceId: string, id: string): Promise<Member | null>;
  abstract findByIds(workspaceId: string, ids: string[]): Promise<Member[]>;
  abstract findByEmail(workspaceId: string, email: string): Promise<Member | null>;
  /** The member bound to this Microsoft account (`oid`), if any: one per workspace. */
  abstract findByMicrosoftUser(workspaceId: string, microsoftUserId: string): Promise<Member | null>;
  abstract list(workspaceId: string, page: PageRequest): Promise<Page<Member>>;
  /** Saves changes; throws ACCOUNT_MISMATCH when another member of the workspace is bound to the same account. */
  abstract save(member: Member): Promise<void>;
}

export const duplicateMemberEmail = { field: 'email', message: 'a member with this email already exists' };

export function accountOfAnotherMember(): DomainError {
  return new DomainError('ACCOUNT_MISMATCH', 'This Microsoft account is already bound to another member.');
}
