// Microsoft Graph /v1.0 as kailenty uses it: me, mailboxSettings, calendar, getSchedule, events (create,
// read, update, delete, cancel), calendarView and its delta, with bearer tokens checked on every call.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { verifyJwt } from '../jwt.js';
import { preferredTimeZone } from '../time-zones.js';
import type { AccessTokenRecord, AttendeeResponse, EventRecord, User } from '../state.js';
import {
  applySelect,
  findEventView,
  instancesBetween,
  scheduleInformation,
  toGraphEvent,
  type EventView,
} from './calendar-model.js';
import { errors, GraphError, sendGraphError } from './errors.js';
import { checkTimes, dateTimeTimeZone, parseEventInput } from './event-input.js';
import { opaque } from '../ids.js';
import { calendarOps } from './calendar-ops.js';

export interface Principal {
  token: AccessTokenRecord;
  /** The signed-in user; undefined for app-only tokens. */
  user?: User;
}

type Handler = (req: FastifyRequest, reply: FastifyReply, p: Principal) => unknown;

const READ_CAL = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
const WRITE_CAL = ['Calendars.ReadWrite'];

export interface GraphRouting {
  route(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', paths: string[], handler: Handler): void;
  requireScope(p: Principal, anyOf: string[]): void;
  target(req: FastifyRequest, p: Principal): User;
}

export type { Handler };

export function registerGraph(app: FastifyInstance, ctx: EmulatorContext): GraphRouting {
  const { state, notifier } = ctx;
  const { attachTeamsMeeting, syncAttendeeCopies, removeEvent, respond } = calendarOps(state, notifier);

  function authenticate(req: FastifyRequest): Principal {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw errors.unauthenticated('Access token is empty.');
    const raw = m[1].trim();
    if (raw.split('.').length !== 3) {
      throw errors.unauthenticated('IDX14100: JWT is not well formed, there are no dots (.).');
    }
    const claims = verifyJwt(state.signingKey, raw);
    if (!claims) throw errors.unauthenticated('Access token validation failure. Invalid signature.');
    const token = state.accessTokens.get(String(claims.uti));
    if (!token) throw errors.unauthenticated('Access token validation failure. Invalid audience.');
    if (token.expiresAt <= state.now())
      throw errors.unauthenticated('Lifetime validation failed, the token is expired.');
    if (token.revoked) throw errors.unauthenticated('Access token validation failure.');
    const user = token.userId ? state.users.get(token.userId) : undefined;
    if (token.userId && (!user || user.disabled))
      throw errors.unauthenticated('Access token validation failure.');
    return { token, user };
  }

  function route(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', paths: string[], handler: Handler) {
    for (const url of paths) {
      app.route({
        method,
        url,
        handler: async (req, reply) => {
          try {
            const principal = authenticate(req);
            return await handler(req, reply, principal);
          } catch (e) {
            if (e instanceof GraphError) return sendGraphError(req, reply, e);
            throw e;
          }
        },
      });
    }
  }

  const both = (suffix: string) => [`/v1.0/me${suffix}`, `/v1.0/users/:userId${suffix}`];
  const base = () => `${ctx.baseUrl()}/v1.0`;

  function requireScope(p: Principal, anyOf: string[]) {
    if (!p.user) throw errors.accessDenied();
    if (!anyOf.some((s) => p.token.scopes.includes(s))) throw errors.accessDenied();
  }

  /** The mailbox a request is about: /me or /users/{id|upn}. */
  function target(req: FastifyRequest, p: Principal): User {
    const { userId } = req.params as { userId?: string };
    if (userId === undefined) {
      if (!p.user) throw errors.badRequest('/me request is only valid with delegated authentication flow.');
      return p.user;
    }
    const user = state.findUser(userId);
    if (!user || (p.user && user.tenantId !== p.user.tenantId) || user.tenantId !== p.token.tenantId) {
      throw errors.userNotFound(userId);
    }
    return user;
  }

  /** Delegated calendar access is to the signed-in user's own mailbox (no shared-calendar scopes asked). */
  function ownMailbox(req: FastifyRequest, p: Principal, scopes: string[]): User {
    const user = target(req, p);
    requireScope(p, scopes);
    if (user.id !== p.user!.id) throw errors.accessDenied();
    return user;
  }

  const zoneOf = (req: FastifyRequest) => preferredTimeZone(req.headers.prefer);

  // me / users -----------------------------------------------------------------------------------

  route('GET', ['/v1.0/me', '/v1.0/users/:userId'], (req, reply, p) => {
    const user = target(req, p);
    const self = p.user && user.id === p.user.id;
    if (!p.user) throw errors.insufficientPrivileges();
    const scopes = self
      ? ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All']
      : ['User.ReadBasic.All', 'User.Read.All'];
    if (!scopes.some((s) => p.token.scopes.includes(s))) throw errors.insufficientPrivileges();
    return applySelect(
      {
        '@odata.context': `${base()}/$metadata#users/$entity`,
        businessPhones: [],
        displayName: user.displayName,
        givenName: user.givenName ?? user.displayName.split(' ')[0] ?? null,
        jobTitle: user.jobTitle ?? null,
        mail: user.mail,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: 'en-US',
        surname: user.surname ?? user.displayName.split(' ').slice(1).join(' ') ?? null,
        userPrincipalName: user.userPrincipalName,
        id: user.id,
      },
      (req.query as Record<string, string>).$select,
    );
  });

  route('GET', both('/mailboxSettings'), (req, reply, p) => {
    const user = ownMailbox(req, p, ['MailboxSettings.Read', 'MailboxSettings.ReadWrite']);
    return {
      '@odata.context': `${base()}/$metadata#users('${user.id}')/mailboxSettings`,
      archiveFolder: opaque(20),
      timeZone: user.timeZone,
      delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
      dateFormat: 'M/d/yyyy',
      timeFormat: 'h:mm tt',
      userPurpose: user.kind === 'user' ? 'user' : user.kind === 'room' ? 'room' : 'shared',
      automaticRepliesSetting: {
        status: 'disabled',
        externalAudience: 'all',
        internalReplyMessage: '',
        externalReplyMessage: '',
        scheduledStartDateTime: { dateTime: '2026-01-01T00:00:00.0000000', timeZone: 'UTC' },
        scheduledEndDateTime: { dateTime: '2026-01-02T00:00:00.0000000', timeZone: 'UTC' },
      },
      language: { locale: 'en-US', displayName: 'English (United States)' },
      workingHours: {
        daysOfWeek: user.workingHours.daysOfWeek,
        startTime: `${user.workingHours.startTime}:00.0000000`,
        endTime: `${user.workingHours.endTime}:00.0000000`,
        timeZone: { name: user.workingHours.timeZone ?? user.timeZone },
      },
    };
  });

  route('GET', both('/calendar'), (req, reply, p) => {
    const user = ownMailbox(req, p, READ_CAL);
    const teams = user.teamsLicence;
    return {
      '@odata.context': `${base()}/$metadata#users('${user.id}')/calendars/$entity`,
      id: `AAMkA${Buffer.from(`calendar:${user.id}`).toString('base64url')}=`,
      name: 'Calendar',
      color: 'auto',
      hexColor: '',
      isDefaultCalendar: true,
      changeKey: opaque(12),
      canShare: true,
      canViewPrivateItems: true,
      canEdit: true,
      allowedOnlineMeetingProviders: teams ? ['teamsForBusiness'] : [],
      defaultOnlineMeetingProvider: teams ? 'teamsForBusiness' : 'none',
      isTallyingResponses: true,
      isRemovable: false,
      owner: { name: user.displayName, address: user.mail },
    };
  });

  // getSchedule ----------------------------------------------------------------------------------

  route('POST', both('/calendar/getSchedule'), (req, reply, p) => {
    target(req, p);
    requireScope(p, READ_CAL);
    const body = (req.body ?? {}) as {
      schedules?: string[];
      startTime?: { dateTime?: string; timeZone?: string };
      endTime?: { dateTime?: string; timeZone?: string };
      availabilityViewInterval?: number;
    };
    if (!Array.isArray(body.schedules) || body.schedules.length === 0) {
      throw errors.badRequest('Schedules must be specified.', 'ErrorInvalidParameter');
    }
    if (body.schedules.length > state.limits.maxSchedulesPerRequest) {
      throw errors.badRequest(
        `The number of mailboxes exceeds the maximum of ${state.limits.maxSchedulesPerRequest}.`,
        'ErrorMailboxDataArrayTooBig',
      );
    }
    const fromMs = dateTimeTimeZone(body.startTime, 'startTime').ms;
    const toMs = dateTimeTimeZone(body.endTime, 'endTime').ms;
    if (toMs <= fromMs)
      throw errors.badRequest('The end time must be after the start time.', 'ErrorInvalidTimeInterval');
    if (toMs - fromMs > state.limits.maxScheduleWindowDays * 24 * 3600_000) {
      throw errors.badRequest(
        `The time interval is too big: getSchedule supports at most ${state.limits.maxScheduleWindowDays} days.`,
        'ErrorTimeIntervalTooBig',
      );
    }
    const interval = body.availabilityViewInterval ?? 30;
    if (!Number.isInteger(interval) || interval < 5 || interval > 1440) {
      throw errors.badRequest(
        'availabilityViewInterval must be between 5 and 1440 minutes.',
        'ErrorInvalidParameter',
      );
    }
    const zone = zoneOf(req);
    return {
      '@odata.context': `${base()}/$metadata#Collection(microsoft.graph.scheduleInformation)`,
      value: body.schedules.map((s) => scheduleInformation(state, p.user, s, fromMs, toMs, interval, zone)),
    };
  });

  // events ---------------------------------------------------------------------------------------

  const eventCollections = [
    ...both('/events'),
    ...both('/calendar/events'),
    ...both('/calendars/:calendarId/events'),
  ];
  const eventItems = eventCollections.map((c) => `${c}/:eventId`);

  route('POST', eventCollections, async (req, reply, p) => {
    const owner = ownMailbox(req, p, WRITE_CAL);
    const input = parseEventInput(req.body, true);
    const zone = zoneOf(req);
    if (input.transactionId !== undefined) {
      // Same transactionId on the same calendar: the retried POST answers the event already created.
      const existing = state.eventsOf(owner.id).find((e) => e.transactionId === input.transactionId);
      if (existing) {
        return reply
          .status(201)
          .send(
            toGraphEvent(
              { ...existing, type: existing.recurrence ? 'seriesMaster' : 'singleInstance' },
              zone,
              `${base()}/$metadata#users('${owner.id}')/events/$entity`,
            ),
          );
      }
    }
    const { fields } = input;
    checkTimes(fields.startMs!, fields.endMs!);
    const event = state.newEvent(owner, {
      ...fields,
      startMs: fields.startMs!,
      endMs: fields.endMs!,
      transactionId: input.transactionId,
    });
    if (input.isOnlineMeeting === true) attachTeamsMeeting(owner, event);
    syncAttendeeCopies(event);
    void notifier.eventChanged(event, 'created');
    reply.header('Location', `${base()}/users('${owner.id}')/events('${event.id}')`);
    return reply
      .status(201)
      .send(
        toGraphEvent(
          { ...event, type: event.recurrence ? 'seriesMaster' : 'singleInstance' },
          zone,
          `${base()}/$metadata#users('${owner.id}')/events/$entity`,
        ),
      );
  });

  route('GET', eventCollections, (req, reply, p) => {
    const owner = ownMailbox(req, p, READ_CAL);
    const q = req.query as Record<string, string>;
    const all = filterEvents(state.eventsOf(owner.id), q.$filter)
      .sort((a, b) => a.startMs - b.startMs)
      .map((e): EventView => ({ ...e, type: e.recurrence ? 'seriesMaster' : 'singleInstance' }));
    return page(
      req,
      all,
      q,
      (e) => applySelect(toGraphEvent(e, zoneOf(req)), q.$select),
      `users('${owner.id}')/events`,
    );
  });

  route('GET', eventItems, (req, reply, p) => {
    const owner = ownMailbox(req, p, READ_CAL);
    const view = ownedEvent(req, owner);
    return applySelect(
      toGraphEvent(view, zoneOf(req), `${base()}/$metadata#users('${owner.id}')/events/$entity`),
      (req.query as Record<string, string>).$select,
    );
  });

  route('PATCH', eventItems, async (req, reply, p) => {
    const owner = ownMailbox(req, p, WRITE_CAL);
    const view = ownedEvent(req, owner);
    if (view.type === 'occurrence') {
      throw errors.invalidRequest('The emulator does not support changing a single occurrence of a series.');
    }
    const event = state.events.get(view.id)!;
    checkIfMatch(req, event);
    const input = parseEventInput(req.body, false);
    const { fields } = input;
    // Checked on the event as it would become, before anything is changed: a refused PATCH changes nothing.
    checkTimes(fields.startMs ?? event.startMs, fields.endMs ?? event.endMs);
    const bodyReplaced = fields.body !== undefined;
    // Attendees who stay keep their answers (Exchange tracks them per recipient), new ones have none yet; a
    // new time asks people again (their answers go back to none; rooms answer again by themselves).
    const moved =
      (fields.startMs !== undefined && fields.startMs !== event.startMs) ||
      (fields.endMs !== undefined && fields.endMs !== event.endMs);
    const kept = (fields.attendees ?? event.attendees).map((a) => {
      const before = event.attendees.find(
        (b) => b.emailAddress.address.toLowerCase() === a.emailAddress.address.toLowerCase(),
      );
      if (!before || (moved && a.type !== 'resource'))
        return { ...a, status: { response: 'none', time: '0001-01-01T00:00:00Z' } };
      return { ...a, status: { ...before.status } };
    });
    Object.assign(event, fields, { attendees: kept });
    if (event.isOnlineMeeting && (bodyReplaced || !owner.teamsLicence)) {
      // A PATCH that carries `body` replaces the HTML that held the Teams meeting: Outlook creates a new
      // meeting (new join URL), or drops it when the organizer can no longer create one.
      event.joinUrl = undefined;
      event.isOnlineMeeting = false;
      event.onlineMeetingProvider = 'unknown';
      attachTeamsMeeting(owner, event);
    } else if (input.isOnlineMeeting === true && !event.isOnlineMeeting) {
      attachTeamsMeeting(owner, event);
    }
    state.touch(event);
    syncAttendeeCopies(event);
    void notifier.eventChanged(event, 'updated');
    return toGraphEvent(
      { ...event, type: event.recurrence ? 'seriesMaster' : 'singleInstance' },
      zoneOf(req),
      `${base()}/$metadata#users('${owner.id}')/events/$entity`,
    );
  });

  route('DELETE', eventItems, (req, reply, p) => {
    const owner = ownMailbox(req, p, WRITE_CAL);
    const view = ownedEvent(req, owner);
    if (view.type === 'occurrence')
      throw errors.invalidRequest('The emulator does not support deleting a single occurrence of a series.');
    removeEvent(state.events.get(view.id)!);
    return reply.status(204).send();
  });

  route(
    'POST',
    eventItems.map((u) => `${u}/cancel`),
    (req, reply, p) => {
      const owner = ownMailbox(req, p, WRITE_CAL);
      const view = ownedEvent(req, owner);
      const event = state.events.get(view.seriesMasterId ?? view.id)!;
      if (!event.isOrganizer) {
        throw errors.badRequest(
          "Your request can't be completed. You need to be an organizer to cancel a meeting.",
          'ErrorAccessDenied',
        );
      }
      if (view.type === 'occurrence')
        throw errors.invalidRequest(
          'The emulator does not support cancelling a single occurrence of a series.',
        );
      removeEvent(event);
      return reply.status(202).send();
    },
  );

  // An attendee's answer from their copy of the meeting: 202, no body (event-accept.md, event-decline.md).
  const answers: Record<string, AttendeeResponse> = {
    accept: 'accepted',
    tentativelyAccept: 'tentativelyAccepted',
    decline: 'declined',
  };
  for (const [action, response] of Object.entries(answers)) {
    route(
      'POST',
      eventItems.map((u) => `${u}/${action}`),
      (req, reply, p) => {
        const owner = ownMailbox(req, p, WRITE_CAL);
        const view = ownedEvent(req, owner);
        const event = state.events.get(view.seriesMasterId ?? view.id)!;
        if (event.isOrganizer || !event.organizerEventId)
          throw errors.badRequest(
            "Your request can't be completed. You can't respond to a meeting you organized.",
            'ErrorInvalidRequest',
          );
        if (view.type === 'occurrence')
          throw errors.invalidRequest(
            'The emulator does not support answering a single occurrence of a series.',
          );
        const body = (req.body ?? {}) as { sendResponse?: unknown };
        if (body.sendResponse !== undefined && typeof body.sendResponse !== 'boolean')
          throw errors.badRequest(
            'Cannot convert the literal to the expected type Edm.Boolean.',
            'RequestBodyRead',
          );
        respond(event, response, body.sendResponse !== false);
        return reply.status(202).send();
      },
    );
  }

  // calendarView and delta -----------------------------------------------------------------------

  route('GET', both('/calendarView'), (req, reply, p) => {
    const owner = ownMailbox(req, p, READ_CAL);
    const q = req.query as Record<string, string>;
    const { fromMs, toMs } = windowOf(q);
    const items = filterEvents(instancesBetween(state, owner.id, fromMs, toMs), q.$filter);
    return page(
      req,
      items,
      q,
      (e) => applySelect(toGraphEvent(e, zoneOf(req)), q.$select),
      `users('${owner.id}')/calendarView`,
    );
  });

  route('GET', [...both('/calendarView/delta'), ...both('/calendar/calendarView/delta')], (req, reply, p) => {
    const owner = ownMailbox(req, p, READ_CAL);
    const q = req.query as Record<string, string>;
    const pageSize = maxPageSize(req) ?? state.limits.deltaPageSize;
    const zone = zoneOf(req);
    const link = (param: string, token: string) => `${base()}/me/calendarView/delta?${param}=${token}`;
    let pending;
    if (q.$skiptoken) {
      pending = state.deltaPages.get(q.$skiptoken);
      state.deltaPages.delete(q.$skiptoken);
      if (!pending)
        throw new GraphError(
          410,
          'syncStateNotFound',
          'The sync state generation is not found. Please restart the sync.',
        );
    } else {
      let seen = new Map<string, string>();
      let fromMs: number;
      let toMs: number;
      if (q.$deltatoken) {
        const previous = state.deltaStates.get(q.$deltatoken);
        if (!previous || previous.ownerId !== owner.id) {
          throw new GraphError(
            410,
            'syncStateNotFound',
            'The sync state generation is not found. Please restart the sync.',
          );
        }
        ({ fromMs, toMs } = { fromMs: previous.startMs, toMs: previous.endMs });
        seen = previous.seen;
      } else {
        ({ fromMs, toMs } = windowOf(q));
      }
      const current = instancesBetween(state, owner.id, fromMs, toMs);
      const now = new Map(current.map((e) => [e.id, e.changeKey]));
      const items: unknown[] = [];
      for (const e of current) if (seen.get(e.id) !== e.changeKey) items.push(toGraphEvent(e, zone));
      for (const id of seen.keys()) {
        if (!now.has(id))
          items.push({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } });
      }
      pending = { state: { ownerId: owner.id, startMs: fromMs, endMs: toMs, seen: now }, items };
    }
    const value = pending.items.slice(0, pageSize);
    const rest = pending.items.slice(pageSize);
    const context = `${base()}/$metadata#Collection(event)`;
    if (rest.length > 0) {
      const token = opaque(24);
      state.deltaPages.set(token, { state: pending.state, items: rest });
      return { '@odata.context': context, '@odata.nextLink': link('$skiptoken', token), value };
    }
    const token = opaque(24);
    state.deltaStates.set(token, pending.state);
    return { '@odata.context': context, '@odata.deltaLink': link('$deltatoken', token), value };
  });

  // helpers --------------------------------------------------------------------------------------

  /** `$filter` with `eq` clauses joined by `and` on a few properties; anything else is refused, not ignored. */
  function filterEvents<T extends EventRecord>(events: T[], filter: string | undefined): T[] {
    if (!filter) return events;
    const fields: Record<string, (e: EventRecord) => string | undefined> = {
      transactionId: (e) => e.transactionId,
      iCalUId: (e) => e.iCalUId,
      subject: (e) => e.subject,
      showAs: (e) => e.showAs,
    };
    const clauses = filter.split(/\s+and\s+/i).map((c) => {
      const m = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(c);
      if (!m || !fields[m[1]]) {
        throw errors.badRequest(
          `The emulator supports $filter only as "<property> eq '<value>'" on ${Object.keys(fields).join(', ')}.`,
          'ErrorInvalidUrlQueryFilter',
        );
      }
      return { get: fields[m[1]], value: m[2].replace(/''/g, "'") };
    });
    return events.filter((e) => clauses.every((c) => c.get(e) === c.value));
  }

  function ownedEvent(req: FastifyRequest, owner: User): EventView {
    const { eventId } = req.params as { eventId: string };
    const view = findEventView(state, decodeURIComponent(eventId));
    if (!view || view.ownerId !== owner.id) throw errors.itemNotFound();
    return view;
  }

  function checkIfMatch(req: FastifyRequest, event: EventRecord) {
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && ifMatch !== `W/"${event.changeKey}"`) {
      throw new GraphError(
        412,
        'ErrorIrresolvableConflict',
        'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
      );
    }
  }

  function windowOf(q: Record<string, string>) {
    if (!q.startDateTime || !q.endDateTime) {
      throw errors.badRequest(
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        'ErrorInvalidParameter',
      );
    }
    const fromMs = Date.parse(q.startDateTime);
    const toMs = Date.parse(q.endDateTime);
    if (Number.isNaN(fromMs) || Number.isNaN(toMs))
      throw errors.badRequest('Invalid StartDateTime or EndDateTime.', 'ErrorInvalidParameter');
    return { fromMs, toMs };
  }

  function maxPageSize(req: FastifyRequest): number | undefined {
    const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec([req.headers.prefer ?? []].flat().join(','));
    return m ? Number(m[1]) : undefined;
  }

  function page<T>(
    req: FastifyRequest,
    all: T[],
    q: Record<string, string>,
    map: (t: T) => unknown,
    path: string,
  ) {
    const top = Math.min(Number(q.$top ?? maxPageSize(req) ?? 10) || 10, 1000);
    const skip = Number(q.$skip ?? 0) || 0;
    const slice = all.slice(skip, skip + top);
    const out: Record<string, unknown> = {
      '@odata.context': `${base()}/$metadata#${path}`,
      value: slice.map(map),
    };
    if (skip + top < all.length) {
      const next = new URL(`${ctx.baseUrl()}${req.url}`);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skip', String(skip + top));
      out['@odata.nextLink'] = next.toString();
    }
    return out;
  }

  return { route, requireScope, target };
}
