// A member is a person of a workspace who can host bookings once their Microsoft 365 account is connected.
import { DomainError } from '../shared/domain-error.js';
import { Checks, isEmail } from '../shared/validation.js';

export const MEMBER_ROLES = ['admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_STATUSES = ['pending', 'active', 'disabled'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface MemberSnapshot {
  id: string;
  workspaceId: string;
  email: string;
  displayName: string;
  role: MemberRole;
  status: MemberStatus;
  /** The Microsoft account (`oid`) this member is bound to since their first connection. */
  microsoftUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberChanges {
  status?: 'active' | 'disabled';
  displayName?: string;
  role?: MemberRole;
}

export class Member {
  private constructor(private state: MemberSnapshot) {}

  static invite(input: {
    id: string;
    workspaceId: string;
    email: string;
    displayName: string;
    role: MemberRole;
    now: Date;
  }): Member {
    new Checks()
      .require(isEmail(input.email?.trim()), 'email', 'must be an email address')
      .text(input.displayName, 'displayName', 200)
      .require(MEMBER_ROLES.includes(input.role), 'role', `must be one of ${MEMBER_ROLES.join(', ')}`)
      .throwIfAny();
    return new Member({
      id: input.id,
      workspaceId: input.workspaceId,
      email: input.email.trim(),
      displayName: input.displayName.trim(),
      role: input.role,
      status: 'pending',
      microsoftUserId: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static fromSnapshot(snapshot: MemberSnapshot): Member {
    return new Member({ ...snapshot, microsoftUserId: snapshot.microsoftUserId ?? null });
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get email(): string {
    return this.state.email;
  }
  get displayName(): string {
    return this.state.displayName;
  }
  get status(): MemberStatus {
    return this.state.status;
  }
  get isActive(): boolean {
    return this.state.status === 'active';
  }

  /** Emails are compared case-insensitively: Exchange addresses are. */
  hasEmail(address: string): boolean {
    return this.state.email.toLowerCase() === address.toLowerCase();
  }

  /**
   * Whether a signed-in Microsoft account is this member's: the bound account if there is one, else an
   * account whose mail or user principal name is the member's email.
   */
  matchesAccount(account: {
    userId: string;
    mail: string | null;
    userPrincipalName: string | null;
  }): boolean {
    if (this.state.microsoftUserId !== null) return this.state.microsoftUserId === account.userId;
    return [account.mail, account.userPrincipalName].some(
      (address) => address !== null && this.hasEmail(address),
    );
  }

  bindMicrosoftAccount(userId: string, now: Date): void {
    if (this.state.microsoftUserId === userId) return;
    if (this.state.microsoftUserId !== null) {
      throw new DomainError('ACCOUNT_MISMATCH', 'This member is bound to another Microsoft account.');
    }
    this.state.microsoftUserId = userId;
    this.state.updatedAt = now;
  }

  change(changes: MemberChanges, now: Date): void {
    const checks = new Checks();
    if (changes.displayName !== undefined) checks.text(changes.displayName, 'displayName', 200);
    if (changes.role !== undefined)
      checks.require(
        MEMBER_ROLES.includes(changes.role),
        'role',
        `must be one of ${MEMBER_ROLES.join(', ')}`,
      );
    if (changes.status !== undefined)
      checks.require(
        changes.status === 'active' || changes.status === 'disabled',
        'status',
        'must be active or disabled',
      );
    checks.throwIfAny();
    if (changes.displayName !== undefined) this.state.displayName = changes.displayName.trim();
    if (changes.role !== undefined) this.state.role = changes.role;
    if (changes.status !== undefined) this.state.status = changes.status;
    this.state.updatedAt = now;
  }

  assertActive(): void {
    if (!this.isActive) {
      throw new DomainError(
        'ACCOUNT_NOT_ACTIVE',
        `Member ${this.state.id} is ${this.state.status}, not active.`,
      );
    }
  }

  toSnapshot(): MemberSnapshot {
    return { ...this.state };
  }
}
