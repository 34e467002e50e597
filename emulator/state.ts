// Everything the emulated Microsoft 365 remembers: directory (tenants, users, apps, consents), issued
// codes and tokens, mailboxes' events, subscriptions, injected faults and the request log.
import { changeKey, exchangeId, guid, iCalUId, opaque } from './ids.js';
import type { SigningKey } from './jwt.js';

export type UserConsentPolicy = 'allowed' | 'admin_required';
export type MailboxKind = 'user' | 'room' | 'shared';
/**
 * A room's calendar processing (Exchange's Set-CalendarProcessing): `autoAccept` is AutomateProcessing
 * AutoAccept with AllowConflicts off (accept a request when the room is free, decline one that conflicts);
 * `declineAll` is a booking policy that refuses every request (AllBookInPolicy off, nobody allowed).
 */
export type RoomPolicy = 'autoAccept' | 'declineAll';
export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface EmulatorLimits {
  /** Access token lifetime in seconds (Entra: 60–90 minutes, 3600 s here). */
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  authCodeLifetimeSeconds: number;
  /** getSchedule: schedules per call (docs say 20, 100 observed: default 100). */
  maxSchedulesPerRequest: number;
  /** getSchedule: the window must be under this many days. */
  maxScheduleWindowDays: number;
  /** Outlook event subscriptions: 4230 or 10080 minutes depending on the source. */
  subscriptionMaxLifetimeMinutes: number;
  requireHttpsNotificationUrl: boolean;
  validationTimeoutMs: number;
  /** How long a notification endpoint may take before the delivery counts as failed. */
  notificationTimeoutMs: number;
  /** Delivery attempts after the first failure (Graph retries for hours; the emulator briefly). */
  notificationRetries: number;
  notificationRetryDelayMs: number;
  deltaPageSize: number;
  requestLogLimit: number;
  /**
   * Outlook allows 4 concurrent requests per app and mailbox and answers 429 beyond; 0 (the default)
   * leaves it off so that tests are not throttled by accident.
   */
  maxConcurrentRequestsPerMailbox: number;
}

export const defaultLimits: EmulatorLimits = {
  accessTokenLifetimeSeconds: 3600,
  refreshTokenLifetimeSeconds: 90 * 24 * 3600,
  authCodeLifetimeSeconds: 600,
  maxSchedulesPerRequest: 100,
  maxScheduleWindowDays: 62,
  subscriptionMaxLifetimeMinutes: 4230,
  requireHttpsNotificationUrl: false,
  validationTimeoutMs: 10_000,
  notificationTimeoutMs: 3_000,
  notificationRetries: 2,
  notificationRetryDelayMs: 200,
  deltaPageSize: 50,
  requestLogLimit: 5000,
  maxConcurrentRequestsPerMailbox: 0,
};

export interface Tenant {
  id: string;
  name: string;
  domain: string;
  userConsent: UserConsentPolicy;
}

export interface WorkingHours {
  daysOfWeek: string[];
  /** "HH:MM". */
  startTime: string;
  endTime: string;
  /** Windows or IANA name of the hours' zone; the mailbox's zone when absent (as Outlook sets it). */
  timeZone?: string;
}

export interface User {
  id: string;
  tenantId: string;
  mail: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  /** Windows time zone name, as Exchange stores it. */
  timeZone: string;
  teamsLicence: boolean;
  disabled: boolean;
  kind: MailboxKind;
  /** Rooms only: how the room answers meeting requests (absent: autoAccept). */
  roomPolicy?: RoomPolicy;
  /**
   * Directory role templates assigned to the user (Entra's `wids`), e.g. Global Administrator. Whether
   * the user may grant tenant-wide consent follows from them (`mayGrantTenantWideConsent`).
   */
  directoryRoles: string[];
  workingHours: WorkingHours;
}

/** Directory role template ids, as Entra ID names them in `wids`. */
export const DIRECTORY_ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  /** Every member of a tenant holds the "User" role template; Entra lists it in `wids` too. */
  user: 'b79fbf4d-3ef9-4689-8143-76b194e85509',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
} as const;

const CONSENT_GRANTING_ROLES: ReadonlySet<string> = new Set([
  DIRECTORY_ROLES.globalAdministrator,
  DIRECTORY_ROLES.privilegedRoleAdministrator,
  DIRECTORY_ROLES.cloudApplicationAdministrator,
  DIRECTORY_ROLES.applicationAdministrator,
]);

/** The roles that may grant tenant-wide (admin) consent to an application. */
export function mayGrantTenantWideConsent(user: User): boolean {
  return user.directoryRoles.some((role) => CONSENT_GRANTING_ROLES.has(role));
}

export interface App {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  displayName: string;
  /** The Graph permissions configured on the registration: what `.default` stands for. */
  permissions: string[];
  /**
   * The registration's token configuration emits directory roles (`groupMembershipClaims` includes
   * `DirectoryRole`): ID tokens then carry `wids`. Without it they carry none.
   */
  directoryRolesInTokens: boolean;
}

export interface Grant {
  tenantId: string;
  clientId: string;
  kind: 'admin' | 'user';
  userId?: string;
  scopes: string[];
  grantedAt: string;
  grantedBy?: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  tenantId: string;
  scopes: string[];
  codeChallenge: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

/** Why a refresh token no longer works: the AADSTS code the token endpoint answers with. */
export type RefreshRefusal = 65001 | 70008 | 50173 | 50057 | 700016 | 700082 | 50076 | 53003;

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  userId: string;
  tenantId: string;
  scopes: string[];
  expiresAt: number;
  refused?: RefreshRefusal;
}

export interface AccessTokenRecord {
  jti: string;
  clientId: string;
  userId?: string;
  tenantId: string;
  scopes: string[];
  roles: string[];
  expiresAt: number;
  /** Graph answers 401 for this token from now on (consent revoked, sessions revoked, user disabled). */
  revoked: boolean;
}

export interface EmailAddress {
  name: string;
  address: string;
}

/** An attendee's answer to a meeting (Graph's responseType, the answers an attendee can give). */
export type AttendeeResponse = 'accepted' | 'tentativelyAccepted' | 'declined';

export interface Attendee {
  type: 'required' | 'optional' | 'resource';
  emailAddress: EmailAddress;
  status: { response: string; time: string };
}

export interface Recurrence {
  pattern: {
    type: 'daily' | 'weekly';
    interval: number;
    daysOfWeek?: string[];
    firstDayOfWeek?: string;
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
    recurrenceTimeZone?: string;
  };
}

export interface EventRecord {
  id: string;
  /** The mailbox whose calendar holds this item. */
  ownerId: string;
  iCalUId: string;
  changeKey: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  subject: string;
  body: { contentType: 'html' | 'text'; content: string };
  startMs: number;
  endMs: number;
  originalStartTimeZone: string;
  originalEndTimeZone: string;
  isAllDay: boolean;
  showAs: ShowAs;
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  location: { displayName: string; locationType?: string; uniqueId?: string; uniqueIdType?: string };
  attendees: Attendee[];
  organizer: EmailAddress;
  isOrganizer: boolean;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: 'teamsForBusiness' | 'unknown';
  joinUrl?: string;
  transactionId?: string;
  isCancelled: boolean;
  recurrence?: Recurrence;
  /** Set on attendee copies: the organizer's event they mirror. */
  organizerEventId?: string;
  /** An attendee copy's own answer (absent: not responded yet). */
  responseStatus?: { response: AttendeeResponse; time: string };
  categories: string[];
}

export interface Subscription {
  id: string;
  resource: string;
  ownerId: string;
  tenantId: string;
  clientId: string;
  creatorId: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationMs: number;
  latestSupportedTlsVersion: string;
}

export interface FaultMatch {
  method?: string;
  /** Matches the start of the path, e.g. "/v1.0/me/calendar/getSchedule" or "/organizations/oauth2/v2.0/token". */
  pathPrefix?: string;
  /** The signed-in user (`oid`) of the bearer token (Graph) or of the code/refresh token (token endpoint). */
  userId?: string;
}

export interface FaultSpec {
  match?: FaultMatch;
  /** 429, 503, 401, 500…; absent: only latency. */
  status?: number;
  /** Seconds, sent as `Retry-After` (429 and 503). */
  retryAfter?: number;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
  latencyMs?: number;
  /** Graph error code to answer with (default by status). */
  code?: string;
  message?: string;
  /**
   * Let the request do its work, then answer the fault instead of the real response: a write that
   * happened although the client saw an error (what makes retried POSTs duplicate events).
   */
  afterHandler?: boolean;
  /** Drop the connection without an answer (Microsoft unreachable, a reset mid-request). */
  disconnect?: boolean;
  /** With status 401 on Graph: a Continuous Access Evaluation claims challenge in WWW-Authenticate. */
  claimsChallenge?: boolean;
}

export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
  hits: number;
}

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  durationMs: number;
  userId?: string;
  tenantId?: string;
  clientId?: string;
  faultId?: string;
  /** Request body (JSON or form fields, secrets masked). */
  body?: unknown;
}

export interface DeliveryLogEntry {
  at: string;
  kind: 'validation' | 'notification' | 'lifecycle';
  url: string;
  subscriptionId?: string;
  status: number | 'timeout' | 'error';
  attempt: number;
  payload?: unknown;
  error?: string;
}

export interface DeltaState {
  ownerId: string;
  startMs: number;
  endMs: number;
  /** id → changeKey of what the client has seen. */
  seen: Map<string, string>;
}

export interface PendingDeltaPage {
  state: DeltaState;
  items: unknown[];
}

export interface NextSignIn {
  userId?: string;
  /** The user clicks "Cancel"/declines consent: AADSTS65004. */
  decline?: boolean;
  /** Fail the sign-in with this AADSTS code (e.g. 53003 Conditional Access, 50076 MFA). */
  aadsts?: number;
}

export interface TokenErrorSpec {
  aadsts: number;
  userId?: string;
  grantType?: string;
  remaining: number;
}

export class EmulatorState {
  tenants = new Map<string, Tenant>();
  users = new Map<string, User>();
  apps = new Map<string, App>();
  grants: Grant[] = [];
  codes = new Map<string, AuthCode>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  accessTokens = new Map<string, AccessTokenRecord>();
  events = new Map<string, EventRecord>();
  subscriptions = new Map<string, Subscription>();
  faults: Fault[] = [];
  tokenErrors: TokenErrorSpec[] = [];
  requestLog: RequestLogEntry[] = [];
  deliveries: DeliveryLogEntry[] = [];
  deltaStates = new Map<string, DeltaState>();
  deltaPages = new Map<string, PendingDeltaPage>();
  nextSignIns: NextSignIn[] = [];
  /** Browser sign-in sessions (Entra's ESTSAUTH cookie): session id → user id. */
  sessions = new Map<string, string>();
  pending = new Set<Promise<unknown>>();
  inFlight = new Map<string, number>();
  private seq = 0;
  clockOffsetMs = 0;

  constructor(
    public limits: EmulatorLimits,
    public readonly signingKey: SigningKey,
  ) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  nextSeq(): number {
    return ++this.seq;
  }

  reset(): void {
    this.tenants.clear();
    this.users.clear();
    this.apps.clear();
    this.grants = [];
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.events.clear();
    this.subscriptions.clear();
    this.faults = [];
    this.tokenErrors = [];
    this.requestLog = [];
    this.deliveries = [];
    this.deltaStates.clear();
    this.deltaPages.clear();
    this.nextSignIns = [];
    this.sessions.clear();
    this.clockOffsetMs = 0;
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  // Directory ------------------------------------------------------------------------------------

  findTenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenants.get(key) ?? [...this.tenants.values()].find((t) => t.domain.toLowerCase() === key);
  }

  /** Finds a mailbox by object id, mail or UPN (Graph accepts all three in /users/{id}). */
  findUser(idOrAddress: string): User | undefined {
    const key = decodeURIComponent(idOrAddress).toLowerCase();
    return (
      this.users.get(key) ??
      [...this.users.values()].find(
        (u) => u.mail.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key,
      )
    );
  }

  userAddress(user: User): EmailAddress {
    return { name: user.displayName, address: user.mail };
  }

  /** An app is "in" a tenant (has a service principal there) once anybody consented to it. */
  hasServicePrincipal(tenantId: string, clientId: string): boolean {
    return this.grants.some((g) => g.tenantId === tenantId && g.clientId === clientId);
  }

  adminGrant(tenantId: string, clientId: string): Grant | undefined {
    return this.grants.find((g) => g.tenantId === tenantId && g.clientId === clientId && g.kind === 'admin');
  }

  userGrant(tenantId: string, clientId: string, userId: string): Grant | undefined {
    return this.grants.find(
      (g) => g.tenantId === tenantId && g.clientId === clientId && g.kind === 'user' && g.userId === userId,
    );
  }

  /** Scopes consented for this user: the tenant-wide grant plus the user's own. */
  consentedScopes(tenantId: string, clientId: string, userId: string): Set<string> {
    const scopes = new Set<string>();
    for (const g of [this.adminGrant(tenantId, clientId), this.userGrant(tenantId, clientId, userId)]) {
      g?.scopes.forEach((s) => scopes.add(s));
    }
    return scopes;
  }

  /** Graph deletes a subscription that was not renewed in time. */
  purgeExpiredSubscriptions(): void {
    for (const [id, sub] of this.subscriptions)
      if (sub.expirationMs <= this.now()) this.subscriptions.delete(id);
  }

  // Calendar -------------------------------------------------------------------------------------

  newEvent(owner: User, fields: Partial<EventRecord> & Pick<EventRecord, 'startMs' | 'endMs'>): EventRecord {
    const now = this.nowIso();
    const event: EventRecord = {
      id: exchangeId(),
      ownerId: owner.id,
      iCalUId: iCalUId(),
      changeKey: changeKey(),
      createdDateTime: now,
      lastModifiedDateTime: now,
      subject: '',
      body: { contentType: 'html', content: '' },
      originalStartTimeZone: 'UTC',
      originalEndTimeZone: 'UTC',
      isAllDay: false,
      showAs: 'busy',
      sensitivity: 'normal',
      location: { displayName: '' },
      attendees: [],
      organizer: this.userAddress(owner),
      isOrganizer: true,
      isOnlineMeeting: false,
      onlineMeetingProvider: 'unknown',
      isCancelled: false,
      categories: [],
      ...fields,
    };
    this.events.set(event.id, event);
    return event;
  }

  touch(event: EventRecord): void {
    event.changeKey = changeKey();
    event.lastModifiedDateTime = this.nowIso();
  }

  eventsOf(ownerId: string): EventRecord[] {
    return [...this.events.values()].filter((e) => e.ownerId === ownerId);
  }

  newJoinUrl(): string {
    const meeting = `19%3ameeting_${opaque(36)}%40thread.v2`;
    return `https://teams.microsoft.com/l/meetup-join/${meeting}/0?context=%7b%22Tid%22%3a%22${guid()}%22%7d`;
  }

  // Request log ----------------------------------------------------------------------------------

  log(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.requestLog.push({ seq: this.nextSeq(), ...entry });
    if (this.requestLog.length > this.limits.requestLogLimit) this.requestLog.shift();
  }
}
