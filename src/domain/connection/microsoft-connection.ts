// A member's link to their Microsoft 365 account: which account (oid + tid), whether it still works, and
// what kailenty learnt from the mailbox (time zone, working hours, whether Teams meetings are possible).
import type { WorkingHours } from '../availability/working-hours.js';

export const CONNECTION_STATUSES = ['connected', 'reauthorization_required', 'revoked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export interface MicrosoftConnectionSnapshot {
  workspaceId: string;
  memberId: string;
  /** The account's object id (`oid`). */
  userId: string;
  tenantId: string;
  /** MSAL's account key (`<oid>.<tid>`), under which the token cache is kept. */
  homeAccountId: string;
  /** The mailbox address Graph answers for the account (`mail`, else `userPrincipalName`). */
  mailbox: string;
  /** IANA zone of the mailbox; null when its Windows zone is one no table maps (see `windowsTimeZone`). */
  timeZone: string | null;
  /** The mailbox's zone as Microsoft named it (a Windows name, or a custom zone like "Customized Time Zone"). */
  windowsTimeZone: string | null;
  /** The mailbox's Outlook working hours at the last sign-in (null when it gave none usable). */
  workingHours: WorkingHours | null;
  teamsEnabled: boolean;
  status: ConnectionStatus;
  /** Microsoft's reason for the last status change (e.g. `AADSTS70008`), for people and logs. */
  statusReason: string | null;
  connectedAt: Date;
  lastSignInAt: Date;
  statusChangedAt: Date;
}

export interface ConnectedAccount {
  userId: string;
  tenantId: string;
  homeAccountId: string;
  mailbox: string;
  timeZone: string | null;
  windowsTimeZone?: string | null;
  workingHours?: WorkingHours | null;
  teamsEnabled: boolean;
}

export class MicrosoftConnection {
  private constructor(private state: MicrosoftConnectionSnapshot) {}

  static connect(input: { workspaceId: string; memberId: string; account: ConnectedAccount; now: Date }) {
    return new MicrosoftConnection({
      workspaceId: input.workspaceId,
      memberId: input.memberId,
      ...input.account,
      windowsTimeZone: input.account.windowsTimeZone ?? null,
      workingHours: copyHours(input.account.workingHours ?? null),
      status: 'connected',
      statusReason: null,
      connectedAt: input.now,
      lastSignInAt: input.now,
      statusChangedAt: input.now,
    });
  }

  static fromSnapshot(snapshot: MicrosoftConnectionSnapshot): MicrosoftConnection {
    return new MicrosoftConnection({
      ...snapshot,
      windowsTimeZone: snapshot.windowsTimeZone ?? null,
      workingHours: copyHours(snapshot.workingHours ?? null),
    });
  }

  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get memberId(): string {
    return this.state.memberId;
  }
  get status(): ConnectionStatus {
    return this.state.status;
  }
  get tenantId(): string {
    return this.state.tenantId;
  }
  get userId(): string {
    return this.state.userId;
  }
  get homeAccountId(): string {
    return this.state.homeAccountId;
  }
  get mailbox(): string {
    return this.state.mailbox;
  }
  get timeZone(): string | null {
    return this.state.timeZone;
  }
  /** Microsoft named a zone that could not be mapped to IANA: availability falls back to UTC. */
  get timeZoneUnmapped(): boolean {
    return this.state.timeZone === null && this.state.windowsTimeZone !== null;
  }
  get teamsEnabled(): boolean {
    return this.state.teamsEnabled;
  }
  get workingHours(): WorkingHours | null {
    return copyHours(this.state.workingHours);
  }
  get lastSignInAt(): Date {
    return this.state.lastSignInAt;
  }
  get isUsable(): boolean {
    return this.state.status === 'connected';
  }

  /** A new sign-in of the same account repairs the connection and refreshes what we know of the mailbox. */
  signedInAgain(account: ConnectedAccount, now: Date): void {
    this.state = {
      ...this.state,
      ...account,
      windowsTimeZone: account.windowsTimeZone ?? null,
      workingHours: copyHours(account.workingHours ?? null),
      status: 'connected',
      statusReason: null,
      lastSignInAt: now,
      statusChangedAt: this.state.status === 'connected' ? this.state.statusChangedAt : now,
    };
  }

  /** Records that Microsoft refused the account; true when this changed the status (so it is reported once). */
  markFailed(status: 'revoked' | 'reauthorization_required', reason: string, now: Date): boolean {
    if (this.state.status === 'revoked') return false;
    if (this.state.status === status) return false;
    this.state.status = status;
    this.state.statusReason = reason;
    this.state.statusChangedAt = now;
    return true;
  }

  updateMailbox(details: { timeZone?: string | null; teamsEnabled?: boolean }): void {
    if (details.timeZone !== undefined) this.state.timeZone = details.timeZone;
    if (details.teamsEnabled !== undefined) this.state.teamsEnabled = details.teamsEnabled;
  }

  toSnapshot(): MicrosoftConnectionSnapshot {
    return { ...this.state, workingHours: copyHours(this.state.workingHours) };
  }
}

function copyHours(hours: WorkingHours | null): WorkingHours | null {
  return hours ? { ...hours, days: [...hours.days] } : null;
}
