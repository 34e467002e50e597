// The control surface: what a test (in-process) or a person trying the sandbox (HTTP under /_emulator)
// uses to seed the directory, act "in Outlook", revoke consent, inject faults and read what happened.
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from './context.js';
import { splitScopes } from './context.js';
import { calendarOps } from './graph/calendar-ops.js';
import { toGraphEvent } from './graph/calendar-model.js';
import type { LifecycleEvent } from './graph/notifier.js';
import { guid, opaque } from './ids.js';
import { selfRequest } from './self-request.js';
import { isKnownZone, zonedToEpoch } from './time-zones.js';
import { recurrenceProblem, SHOW_AS } from './graph/event-input.js';
import type {
  App,
  DeliveryLogEntry,
  EmulatorLimits,
  EventRecord,
  Fault,
  FaultSpec,
  Grant,
  MailboxKind,
  RoomPolicy,
  AttendeeResponse,
  NextSignIn,
  Recurrence,
  RefreshRefusal,
  RequestLogEntry,
  ShowAs,
  Subscription,
  Tenant,
  User,
  UserConsentPolicy,
  WorkingHours,
} from './state.js';
import { DIRECTORY_ROLES } from './state.js';

export interface AddTenantInput {
  id?: string;
  name: string;
  domain: string;
  userConsent?: UserConsentPolicy;
}

export interface AddUserInput {
  id?: string;
  tenantId: string;
  mail: string;
  upn?: string;
  displayName: string;
  /**
   * Windows time zone name (default "UTC"). Not checked: Exchange also reports custom zones
   * ("Customized Time Zone") that a CLDR mapping misses, and adapters must cope with them.
   */
  timeZone?: string;
  teamsLicence?: boolean;
  disabled?: boolean;
  kind?: MailboxKind;
  /** Rooms: how the room answers meeting requests (default autoAccept). */
  roomPolicy?: RoomPolicy;
  /** Shorthand for the Global Administrator role. */
  isAdmin?: boolean;
  /** Directory role template ids (Entra's `wids`); see DIRECTORY_ROLES. */
  directoryRoles?: string[];
  workingHours?: Partial<WorkingHours>;
}

export interface RegisterAppInput {
  clientId?: string;
  clientSecret?: string;
  redirectUris: string[];
  displayName?: string;
  /** Graph delegated permissions configured on the registration (what `.default` asks for). */
  permissions?: string[];
  /** ID tokens carry `wids` (token configuration: directory roles). Default true. */
  directoryRolesInTokens?: boolean;
}

/** A time as ISO 8601 with offset ("2026-12-01T09:00:00Z") or Graph's { dateTime, timeZone }. */
export type TimeInput = string | { dateTime: string; timeZone: string };

export interface AddEventInput {
  /** Mailbox: object id, mail or UPN. */
  userId: string;
  subject?: string;
  start: TimeInput;
  end: TimeInput;
  showAs?: ShowAs;
  isAllDay?: boolean;
  sensitivity?: EventRecord['sensitivity'];
  location?: string;
  /** Addresses, or { address, name, type }. */
  attendees?: Array<string | { address: string; name?: string; type?: 'required' | 'optional' | 'resource' }>;
  recurrence?: Recurrence;
  isOnlineMeeting?: boolean;
  body?: string;
  /** Deliver change notifications (default true). */
  notify?: boolean;
}

export type UpdateEventInput = Partial<Omit<AddEventInput, 'userId'>>;

export interface RevokeConsentOptions {
  clientId?: string;
  /** Only this user's own consent and tokens; without it, the whole tenant's grant (the app is removed). */
  userId?: string;
  /** Let access tokens already issued keep working until they expire (Entra's default without CAE). */
  keepAccessTokens?: boolean;
}

export interface InjectTokenErrorInput {
  aadsts: number;
  userId?: string;
  grantType?: 'authorization_code' | 'refresh_token' | 'client_credentials';
  times?: number;
}

export class EmulatorControl {
  private readonly ops;

  constructor(private readonly ctx: EmulatorContext) {
    this.ops = calendarOps(ctx.state, ctx.notifier);
  }

  private get state() {
    return this.ctx.state;
  }

  // Directory ------------------------------------------------------------------------------------

  addTenant(input: AddTenantInput): Tenant {
    const tenant: Tenant = {
      id: (input.id ?? guid()).toLowerCase(),
      name: input.name,
      domain: input.domain,
      userConsent: input.userConsent ?? 'allowed',
    };
    this.state.tenants.set(tenant.id, tenant);
    return tenant;
  }

  setTenantPolicy(tenantId: string, userConsent: UserConsentPolicy): Tenant {
    const tenant = this.mustTenant(tenantId);
    tenant.userConsent = userConsent;
    return tenant;
  }

  addUser(input: AddUserInput): User {
    const tenant = this.mustTenant(input.tenantId);
    const timeZone = input.timeZone ?? 'UTC';
    const user: User = {
      id: (input.id ?? guid()).toLowerCase(),
      tenantId: tenant.id,
      mail: input.mail,
      userPrincipalName: input.upn ?? input.mail,
      displayName: input.displayName,
      timeZone,
      teamsLicence: input.teamsLicence ?? (input.kind ?? 'user') === 'user',
      disabled: input.disabled ?? false,
      kind: input.kind ?? 'user',
      ...((input.kind ?? 'user') === 'room' && { roomPolicy: input.roomPolicy ?? 'autoAccept' }),
      directoryRoles: [
        ...new Set([
          ...(input.directoryRoles ?? []),
          ...(input.isAdmin ? [DIRECTORY_ROLES.globalAdministrator] : []),
        ]),
      ],
      workingHours: {
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        startTime: '08:00',
        endTime: '17:00',
        ...input.workingHours,
      },
    };
    this.state.users.set(user.id, user);
    return user;
  }

  updateUser(userId: string, patch: Partial<Omit<User, 'id' | 'tenantId'>>): User {
    const user = this.mustUser(userId);
    Object.assign(user, patch);
    if (patch.disabled) this.revokeTokensOf((t) => t.userId === user.id, 50057);
    return user;
  }

  setTeamsLicence(userId: string, enabled: boolean): User {
    return this.updateUser(userId, { teamsLicence: enabled });
  }

  disableUser(userId: string, disabled = true): User {
    return this.updateUser(userId, { disabled });
  }

  /** Changes the registration's token configuration: whether ID tokens carry directory roles (`wids`). */
  setDirectoryRolesInTokens(enabled: boolean, clientId?: string): App {
    const app = this.state.apps.get(clientId ?? this.defaultClientId());
    if (!app) throw new Error(`unknown app ${clientId}`);
    app.directoryRolesInTokens = enabled;
    return app;
  }

  /** Changes an app registration (e.g. the redirect URIs of a service that moved to another address). */
  updateApp(
    clientId: string,
    patch: Partial<Pick<App, 'redirectUris' | 'displayName' | 'permissions'>>,
  ): App {
    const app = this.state.apps.get(clientId.toLowerCase());
    if (!app) throw new Error(`No app ${clientId}`);
    if (patch.redirectUris !== undefined) {
      if (!Array.isArray(patch.redirectUris) || patch.redirectUris.some((u) => typeof u !== 'string'))
        throw new Error('redirectUris must be an array of URLs');
      app.redirectUris = [...patch.redirectUris];
    }
    if (patch.displayName !== undefined) app.displayName = String(patch.displayName);
    if (patch.permissions !== undefined) app.permissions = [...patch.permissions];
    return app;
  }

  app(clientId: string): App | undefined {
    return this.state.apps.get(clientId.toLowerCase());
  }

  registerApp(input: RegisterAppInput): App {
    const app: App = {
      clientId: (input.clientId ?? guid()).toLowerCase(),
      clientSecret: input.clientSecret ?? `emu~${opaque(30)}`,
      redirectUris: input.redirectUris,
      displayName: input.displayName ?? 'kailenty',
      permissions: input.permissions ?? ['User.Read', 'MailboxSettings.Read', 'Calendars.ReadWrite'],
      directoryRolesInTokens: input.directoryRolesInTokens ?? true,
    };
    this.state.apps.set(app.clientId, app);
    return app;
  }

  // Consent ----------------------------------------------------------------------------------------

  grantAdminConsent(
    tenantId: string,
    options: { clientId?: string; scopes: string[]; grantedBy?: string },
  ): Grant {
    return this.grant(tenantId, 'admin', options.scopes, options.clientId, undefined, options.grantedBy);
  }

  grantUserConsent(
    tenantId: string,
    userId: string,
    options: { clientId?: string; scopes: string[] },
  ): Grant {
    return this.grant(tenantId, 'user', options.scopes, options.clientId, this.mustUser(userId).id);
  }

  consents(tenantId?: string): Grant[] {
    return this.state.grants.filter((g) => !tenantId || g.tenantId === tenantId);
  }

  /**
   * Withdraws consent. Refresh tokens are refused from then on (AADSTS65001 for a user's consent,
   * AADSTS700016 once the app is gone from the tenant) and, unless keepAccessTokens, Graph answers 401.
   */
  revokeConsent(tenantId: string, options: RevokeConsentOptions = {}): void {
    const tenant = this.mustTenant(tenantId);
    const clientId = options.clientId ?? this.defaultClientId();
    const userId = options.userId ? this.mustUser(options.userId).id : undefined;
    this.state.grants = this.state.grants.filter(
      (g) =>
        !(
          g.tenantId === tenant.id &&
          g.clientId === clientId &&
          (userId ? g.kind === 'user' && g.userId === userId : true)
        ),
    );
    if (!options.keepAccessTokens) {
      for (const t of this.state.accessTokens.values()) {
        if (t.tenantId === tenant.id && t.clientId === clientId && (!userId || t.userId === userId))
          t.revoked = true;
      }
    }
  }

  /** "Revoke sessions" / password reset: refresh tokens fail with AADSTS50173, Graph answers 401. */
  revokeSessions(userId: string): void {
    const user = this.mustUser(userId);
    this.revokeTokensOf((t) => t.userId === user.id, 50173);
  }

  /** Marks a user's refresh tokens as refused with a given AADSTS code (65001, 70008, 700082, 50076, 53003…). */
  refuseRefreshTokens(userId: string, aadsts: RefreshRefusal): void {
    const user = this.mustUser(userId);
    for (const r of this.state.refreshTokens.values()) if (r.userId === user.id) r.refused = aadsts;
  }

  /** The next sign-in (authorize or adminconsent) is by this user, or declines, or fails with a code. */
  setNextSignIn(next: NextSignIn): void {
    this.state.nextSignIns.push({ ...next, userId: next.userId ? this.mustUser(next.userId).id : undefined });
  }

  /** Makes the token endpoint fail with an AADSTS error (e.g. 53003, 50076) for matching requests. */
  injectTokenError(input: InjectTokenErrorInput): void {
    this.state.tokenErrors.push({
      aadsts: input.aadsts,
      userId: input.userId ? this.mustUser(input.userId).id : undefined,
      grantType: input.grantType,
      remaining: input.times ?? 1,
    });
  }

  /**
   * Performs the browser step of an authorize or adminconsent URL (no browser needed) and returns where
   * Entra sends the browser: the redirect URI with `code&state` or `error&error_description&state`.
   */
  async signIn(authorizeUrl: string, as?: NextSignIn): Promise<string> {
    if (as) this.setNextSignIn(as);
    const url = new URL(authorizeUrl);
    const res = await selfRequest(this.ctx.baseUrl(), this.ctx.caPem, {
      method: 'GET',
      path: `${url.pathname}${url.search}`,
    });
    const location = res.headers.location;
    if (res.status !== 302 || typeof location !== 'string') {
      throw new Error(`Sign-in did not redirect (${res.status}): ${res.body}`);
    }
    return location;
  }

  // Tokens -----------------------------------------------------------------------------------------

  /** Access tokens expire now (Graph answers 401 "Lifetime validation failed"); refresh tokens too if asked (700082). */
  expireTokens(options: { refreshTokens?: boolean; userId?: string } = {}): void {
    const userId = options.userId ? this.mustUser(options.userId).id : undefined;
    const past = this.state.now() - 1000;
    for (const t of this.state.accessTokens.values()) if (!userId || t.userId === userId) t.expiresAt = past;
    if (options.refreshTokens) {
      for (const r of this.state.refreshTokens.values())
        if (!userId || r.userId === userId) r.expiresAt = past;
    }
  }

  /** Changes limits at run time (schedules per getSchedule, subscription lifetime, concurrency…). */
  setLimits(limits: Partial<EmulatorLimits>): EmulatorLimits {
    Object.assign(this.state.limits, limits);
    return this.state.limits;
  }

  advanceClock(ms: number): void {
    this.state.clockOffsetMs += ms;
  }

  // Calendar "in Outlook" --------------------------------------------------------------------------

  async addEvent(input: AddEventInput): Promise<ReturnType<typeof toGraphEvent>> {
    checkEventInput(input, true);
    const owner = this.mustUser(input.userId);
    const start = toEpoch(input.start);
    const end = toEpoch(input.end);
    if (end.ms < start.ms) throw new Error('end must not be before start');
    const event = this.state.newEvent(owner, {
      subject: input.subject ?? 'Busy',
      startMs: start.ms,
      endMs: end.ms,
      originalStartTimeZone: start.zone ?? owner.timeZone,
      originalEndTimeZone: end.zone ?? owner.timeZone,
      showAs: input.showAs ?? 'busy',
      isAllDay: input.isAllDay ?? false,
      sensitivity: input.sensitivity ?? 'normal',
      location: { displayName: input.location ?? '' },
      attendees: (input.attendees ?? []).map((a) => {
        const x = typeof a === 'string' ? { address: a } : a;
        return {
          type: x.type ?? 'required',
          emailAddress: { address: x.address, name: x.name ?? x.address },
          status: { response: 'none', time: '0001-01-01T00:00:00Z' },
        };
      }),
      recurrence: input.recurrence,
      body: { contentType: 'html', content: input.body ?? '' },
    });
    if (input.isOnlineMeeting) this.ops.attachTeamsMeeting(owner, event);
    this.ops.syncAttendeeCopies(event);
    if (input.notify !== false) await this.ctx.notifier.eventChanged(event, 'created');
    return this.view(event);
  }

  /** Moves or edits an event as its owner would in Outlook, and delivers the `updated` notifications. */
  async updateEvent(eventId: string, patch: UpdateEventInput): Promise<ReturnType<typeof toGraphEvent>> {
    const event = this.mustEvent(eventId);
    checkEventInput(patch, false);
    const startMs = patch.start !== undefined ? toEpoch(patch.start).ms : event.startMs;
    const endMs = patch.end !== undefined ? toEpoch(patch.end).ms : event.endMs;
    if (endMs < startMs) throw new Error('end must not be before start');
    if (patch.subject !== undefined) event.subject = patch.subject;
    if (patch.start !== undefined) event.startMs = toEpoch(patch.start).ms;
    if (patch.end !== undefined) event.endMs = toEpoch(patch.end).ms;
    if (patch.showAs !== undefined) event.showAs = patch.showAs;
    if (patch.isAllDay !== undefined) event.isAllDay = patch.isAllDay;
    if (patch.sensitivity !== undefined) event.sensitivity = patch.sensitivity;
    if (patch.location !== undefined) event.location = { displayName: patch.location };
    if (patch.body !== undefined) event.body = { contentType: 'html', content: patch.body };
    if (patch.recurrence !== undefined) event.recurrence = patch.recurrence;
    this.state.touch(event);
    if (event.isOrganizer) this.ops.syncAttendeeCopies(event);
    if (patch.notify !== false) await this.ctx.notifier.eventChanged(event, 'updated');
    return this.view(event);
  }

  /** Deletes (or cancels) an event as in Outlook: attendee copies go too, `deleted` notifications are delivered. */
  async deleteEvent(eventId: string): Promise<void> {
    const event = this.mustEvent(eventId);
    this.ops.removeEvent(event);
    await this.idle();
  }

  /**
   * The attendee answers the meeting in Outlook, as Graph's accept / tentativelyAccept / decline on their
   * copy do: `eventId` is the organizer's event (or the attendee's copy), `userId` the attendee's mailbox.
   * With `sendResponse` (default true) the organizer's event shows the answer and its notifications are delivered.
   */
  async respondToEvent(
    eventId: string,
    userId: string,
    response: AttendeeResponse,
    options: { sendResponse?: boolean } = {},
  ): Promise<void> {
    if (!['accepted', 'tentativelyAccepted', 'declined'].includes(response))
      throw new Error('response must be accepted, tentativelyAccepted or declined');
    const user = this.mustUser(userId);
    const event = this.mustEvent(eventId);
    const organizerEventId = event.organizerEventId ?? event.id;
    const copy = [...this.state.events.values()].find(
      (e) => e.ownerId === user.id && (e.id === eventId || e.organizerEventId === organizerEventId),
    );
    if (!copy || copy.isOrganizer) throw new Error(`${user.mail} has no invitation to event ${eventId}`);
    this.ops.respond(copy, response, options.sendResponse !== false);
    await this.idle();
  }

  events(userId: string): Array<ReturnType<typeof toGraphEvent>> {
    const user = this.mustUser(userId);
    return this.state
      .eventsOf(user.id)
      .sort((a, b) => a.startMs - b.startMs)
      .map((e) => this.view(e));
  }

  event(eventId: string): ReturnType<typeof toGraphEvent> | undefined {
    const e = this.state.events.get(eventId);
    return e ? this.view(e) : undefined;
  }

  // Subscriptions ----------------------------------------------------------------------------------

  subscriptions(): Array<Subscription & { expirationDateTime: string }> {
    this.state.purgeExpiredSubscriptions();
    return [...this.state.subscriptions.values()].map((s) => ({
      ...s,
      expirationDateTime: new Date(s.expirationMs).toISOString(),
    }));
  }

  /** Sends a lifecycle notification (reauthorizationRequired, subscriptionRemoved, missed). */
  async sendLifecycle(subscriptionId: string, lifecycleEvent: LifecycleEvent): Promise<DeliveryLogEntry[]> {
    const sub = this.state.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`No subscription ${subscriptionId}`);
    return this.ctx.notifier.lifecycle(sub, lifecycleEvent);
  }

  /** Graph drops the subscription and says so with a `subscriptionRemoved` lifecycle notification. */
  async removeSubscription(subscriptionId: string): Promise<DeliveryLogEntry[]> {
    const sub = this.state.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`No subscription ${subscriptionId}`);
    this.state.subscriptions.delete(subscriptionId);
    return this.ctx.notifier.lifecycle(sub, 'subscriptionRemoved');
  }

  // Faults -----------------------------------------------------------------------------------------

  /** Makes matching requests fail (429 with Retry-After, 503, 401…) or slow, `times` times (default 1). */
  injectFault(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: guid(), remaining: spec.times ?? 1, hits: 0 };
    if (fault.match?.userId) fault.match = { ...fault.match, userId: this.mustUser(fault.match.userId).id };
    this.state.faults.push(fault);
    return fault;
  }

  faults(): Fault[] {
    return this.state.faults;
  }

  clearFaults(): void {
    this.state.faults = [];
    this.state.tokenErrors = [];
  }

  // Observation ------------------------------------------------------------------------------------

  requests(filter: { pathPrefix?: string; method?: string } = {}): RequestLogEntry[] {
    return this.state.requestLog.filter(
      (r) =>
        (!filter.pathPrefix || r.path.startsWith(filter.pathPrefix)) &&
        (!filter.method || r.method === filter.method),
    );
  }

  clearRequests(): void {
    this.state.requestLog = [];
  }

  deliveries(): DeliveryLogEntry[] {
    return this.state.deliveries;
  }

  /** Resolves once every notification under way has been delivered (or given up). */
  async idle(): Promise<void> {
    while (this.state.pending.size > 0) await Promise.allSettled([...this.state.pending]);
  }

  reset(): void {
    this.state.reset();
  }

  get caPem(): string {
    return this.ctx.caPem;
  }

  summary() {
    return {
      tenants: [...this.state.tenants.values()],
      users: [...this.state.users.values()],
      apps: [...this.state.apps.values()],
      consents: this.state.grants,
      subscriptions: this.subscriptions(),
      faults: this.state.faults,
      limits: this.state.limits,
    };
  }

  // helpers ----------------------------------------------------------------------------------------

  private grant(
    tenantId: string,
    kind: 'admin' | 'user',
    scopes: string[],
    clientId?: string,
    userId?: string,
    grantedBy?: string,
  ): Grant {
    const tenant = this.mustTenant(tenantId);
    const cid = clientId ?? this.defaultClientId();
    const short = scopes.flatMap((s) => splitScopes(s));
    const existing = this.state.grants.find(
      (g) => g.tenantId === tenant.id && g.clientId === cid && g.kind === kind && g.userId === userId,
    );
    if (existing) {
      existing.scopes = [...new Set([...existing.scopes, ...short])];
      return existing;
    }
    const grant: Grant = {
      tenantId: tenant.id,
      clientId: cid,
      kind,
      userId,
      scopes: [...new Set(short)],
      grantedAt: this.state.nowIso(),
      grantedBy,
    };
    this.state.grants.push(grant);
    return grant;
  }

  private revokeTokensOf(pred: (t: { userId?: string }) => boolean, refusal: RefreshRefusal) {
    for (const t of this.state.accessTokens.values()) if (pred(t)) t.revoked = true;
    for (const r of this.state.refreshTokens.values()) if (pred(r)) r.refused = refusal;
  }

  private defaultClientId(): string {
    const first = this.state.apps.keys().next();
    if (first.done) throw new Error('No app registered');
    return first.value;
  }

  private mustTenant(id: string): Tenant {
    const t = this.state.findTenant(id);
    if (!t) throw new Error(`No tenant ${id}`);
    return t;
  }

  private mustUser(id: string): User {
    const u = this.state.findUser(id);
    if (!u) throw new Error(`No user ${id}`);
    return u;
  }

  private mustEvent(id: string): EventRecord {
    const e = this.state.events.get(id);
    if (!e) throw new Error(`No event ${id}`);
    return e;
  }

  private view(e: EventRecord) {
    return toGraphEvent({ ...e, type: e.recurrence ? 'seriesMaster' : 'singleInstance' }, 'UTC');
  }
}

function toEpoch(t: TimeInput): { ms: number; zone?: string } {
  if (typeof t === 'string') {
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) throw new Error(`Invalid time '${t}'`);
    return { ms, zone: 'UTC' };
  }
  if (typeof t !== 'object' || t === null || typeof t.dateTime !== 'string' || typeof t.timeZone !== 'string')
    throw new Error('a time is an ISO string with offset or { dateTime, timeZone }');
  if (!isKnownZone(t.timeZone)) throw new Error(`Unknown time zone '${t.timeZone}'`);
  const ms = zonedToEpoch(t.dateTime, t.timeZone);
  if (Number.isNaN(ms)) throw new Error(`Invalid time '${t.dateTime}'`);
  return { ms, zone: t.timeZone };
}

/**
 * The control surface is JSON from curl too: what an event "changed in Outlook" may hold is checked as
 * strictly as Graph checks its own clients, so that no mailbox ever holds a malformed event.
 */
function checkEventInput(input: Partial<AddEventInput>, creating: boolean): void {
  if (typeof input !== 'object' || input === null) throw new Error('the event must be a JSON object');
  if (creating && (input.start === undefined || input.end === undefined))
    throw new Error('start and end are required');
  if (creating && typeof input.userId !== 'string') throw new Error('userId is required');
  if (input.start !== undefined) toEpoch(input.start);
  if (input.end !== undefined) toEpoch(input.end);
  const text = (key: 'subject' | 'body' | 'location') => {
    if (input[key] !== undefined && typeof input[key] !== 'string')
      throw new Error(`${key} must be a string`);
  };
  text('subject');
  text('body');
  text('location');
  for (const key of ['isAllDay', 'isOnlineMeeting', 'notify'] as const) {
    if (input[key] !== undefined && typeof input[key] !== 'boolean')
      throw new Error(`${key} must be true or false`);
  }
  if (input.showAs !== undefined && !SHOW_AS.includes(input.showAs))
    throw new Error(`showAs must be one of ${SHOW_AS.join(', ')}`);
  const sensitivities = ['normal', 'personal', 'private', 'confidential'];
  if (input.sensitivity !== undefined && !sensitivities.includes(input.sensitivity))
    throw new Error(`sensitivity must be one of ${sensitivities.join(', ')}`);
  if (input.attendees !== undefined) {
    if (!Array.isArray(input.attendees)) throw new Error('attendees must be an array');
    for (const a of input.attendees) {
      const address = typeof a === 'string' ? a : typeof a === 'object' && a !== null ? a.address : undefined;
      if (typeof address !== 'string' || !address.includes('@'))
        throw new Error('each attendee is an address or { address, name?, type? }');
    }
  }
  if (input.recurrence !== undefined) {
    const problem = recurrenceProblem(input.recurrence);
    if (problem) throw new Error(problem);
  }
}

/** The same control surface over HTTP (JSON), for scripts and people trying the sandbox with curl. */
export function registerControlRoutes(
  app: FastifyInstance,
  control: EmulatorControl,
  seedDemo: (body: unknown) => unknown,
): void {
  const p = '/_emulator';
  type Req = { body: unknown; params: Record<string, string>; query: Record<string, string> };
  const wrap =
    (fn: (req: Req) => unknown, status = 200) =>
    async (req: unknown, reply: { status(n: number): { send(b: unknown): unknown } }) => {
      try {
        const out = await fn(req as Req);
        return reply.status(out === undefined ? 204 : status).send(out === undefined ? undefined : out);
      } catch (e) {
        return reply.status(400).send({ error: (e as Error).message });
      }
    };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from curl, checked by the control methods
  const b = (req: Req) => (req.body ?? {}) as any;

  app.get(
    p,
    wrap(() => control.summary()),
  );
  app.get(`${p}/ca.pem`, async (req, reply) => reply.type('application/x-pem-file').send(control.caPem));
  app.post(
    `${p}/reset`,
    wrap(() => control.reset()),
  );
  app.post(
    `${p}/seed/demo`,
    wrap((req) => seedDemo(req.body ?? {}), 201),
  );
  app.post(
    `${p}/tenants`,
    wrap((req) => control.addTenant(b(req)), 201),
  );
  app.patch(
    `${p}/tenants/:id`,
    wrap((req) => control.setTenantPolicy(req.params.id, b(req).userConsent)),
  );
  app.post(
    `${p}/users`,
    wrap((req) => control.addUser(b(req)), 201),
  );
  app.patch(
    `${p}/users/:id`,
    wrap((req) => control.updateUser(req.params.id, b(req))),
  );
  app.put(
    `${p}/users/:id/teams-licence`,
    wrap((req) => control.setTeamsLicence(req.params.id, Boolean(b(req).enabled))),
  );
  app.post(
    `${p}/users/:id/revoke-sessions`,
    wrap((req) => control.revokeSessions(req.params.id)),
  );
  app.post(
    `${p}/users/:id/refuse-refresh`,
    wrap((req) => control.refuseRefreshTokens(req.params.id, b(req).aadsts)),
  );
  app.get(
    `${p}/users/:id/events`,
    wrap((req) => control.events(req.params.id)),
  );
  app.post(
    `${p}/apps`,
    wrap((req) => control.registerApp(b(req)), 201),
  );
  app.patch(
    `${p}/apps/:id`,
    wrap((req) => control.updateApp(req.params.id, b(req))),
  );
  app.get(
    `${p}/consents`,
    wrap((req) => control.consents(req.query.tenantId)),
  );
  app.post(
    `${p}/consents/admin`,
    wrap((req) => control.grantAdminConsent(b(req).tenantId, b(req)), 201),
  );
  app.post(
    `${p}/consents/revoke`,
    wrap((req) => control.revokeConsent(b(req).tenantId, b(req))),
  );
  app.post(
    `${p}/sign-ins/next`,
    wrap((req) => control.setNextSignIn(b(req))),
  );
  app.post(
    `${p}/sign-in`,
    wrap(async (req) => ({ location: await control.signIn(b(req).url, b(req).as) })),
  );
  app.post(
    `${p}/token-errors`,
    wrap((req) => control.injectTokenError(b(req))),
  );
  app.post(
    `${p}/tokens/expire`,
    wrap((req) => control.expireTokens(b(req))),
  );
  app.patch(
    `${p}/limits`,
    wrap((req) => control.setLimits(b(req))),
  );
  app.post(
    `${p}/clock/advance`,
    wrap((req) => control.advanceClock(Number(b(req).ms))),
  );
  app.post(
    `${p}/events`,
    wrap((req) => control.addEvent(b(req)), 201),
  );
  app.post(
    `${p}/events/:id/responses`,
    wrap((req) =>
      control.respondToEvent(req.params.id, b(req).userId, b(req).response, {
        sendResponse: b(req).sendResponse,
      }),
    ),
  );
  app.patch(
    `${p}/events/:id`,
    wrap((req) => control.updateEvent(req.params.id, b(req))),
  );
  app.delete(
    `${p}/events/:id`,
    wrap((req) => control.deleteEvent(req.params.id)),
  );
  app.get(
    `${p}/subscriptions`,
    wrap(() => control.subscriptions()),
  );
  app.delete(
    `${p}/subscriptions/:id`,
    wrap((req) => control.removeSubscription(req.params.id)),
  );
  app.post(
    `${p}/subscriptions/:id/lifecycle`,
    wrap((req) => control.sendLifecycle(req.params.id, b(req).lifecycleEvent)),
  );
  app.get(
    `${p}/faults`,
    wrap(() => control.faults()),
  );
  app.post(
    `${p}/faults`,
    wrap((req) => control.injectFault(b(req)), 201),
  );
  app.delete(
    `${p}/faults`,
    wrap(() => control.clearFaults()),
  );
  app.get(
    `${p}/requests`,
    wrap((req) => control.requests(req.query)),
  );
  app.delete(
    `${p}/requests`,
    wrap(() => control.clearRequests()),
  );
  app.get(
    `${p}/deliveries`,
    wrap(() => control.deliveries()),
  );
}
