// Graph change-notification subscriptions on Outlook events: create (with the validation handshake to
// both URLs), list, renew and delete, with the limits of M365.md "Change notifications".
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { guid } from '../ids.js';
import type { Subscription } from '../state.js';
import { errors, GraphError } from './errors.js';
import type { GraphRouting, Principal } from './routes.js';

const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);
const READ_CAL = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];

export function registerSubscriptions(routing: GraphRouting, ctx: EmulatorContext): void {
  const { state, notifier } = ctx;
  const base = () => `${ctx.baseUrl()}/v1.0`;

  const toJson = (s: Subscription, withContext = true) => ({
    ...(withContext ? { '@odata.context': `${base()}/$metadata#subscriptions/$entity` } : {}),
    id: s.id,
    resource: s.resource,
    applicationId: s.clientId,
    changeType: s.changeType,
    clientState: s.clientState ?? null,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    expirationDateTime: new Date(s.expirationMs).toISOString(),
    creatorId: s.creatorId,
    includeResourceData: null,
    latestSupportedTlsVersion: s.latestSupportedTlsVersion,
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  });

  const invalid = (message: string) => new GraphError(400, 'InvalidRequest', message);

  function checkExpiration(value: unknown): number {
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw invalid('expirationDateTime is required and must be a valid date.');
    const max = state.limits.subscriptionMaxLifetimeMinutes;
    if (ms <= state.now() || ms > state.now() + max * 60_000) {
      throw invalid(`Subscription expiration can only be ${max} minutes in the future.`);
    }
    return ms;
  }

  function checkUrl(value: unknown, name: string): string {
    if (typeof value !== 'string') throw invalid(`${name} is required.`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid(`${name} is not a valid URL.`);
    }
    if (url.protocol !== 'https:' && (state.limits.requireHttpsNotificationUrl || url.protocol !== 'http:')) {
      throw invalid(`The ${name} must be an HTTPS URL.`);
    }
    return value;
  }

  function owned(req: FastifyRequest, p: Principal): Subscription {
    const { id } = req.params as { id: string };
    state.purgeExpiredSubscriptions();
    const sub = state.subscriptions.get(id);
    if (!sub || sub.clientId !== p.token.clientId || sub.creatorId !== p.user?.id) {
      throw new GraphError(404, 'ResourceNotFound', `The object was not found.`);
    }
    return sub;
  }

  routing.route('POST', ['/v1.0/subscriptions'], async (req, reply: FastifyReply, p) => {
    if (!p.user) throw errors.accessDenied();
    routing.requireScope(p, READ_CAL);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const changeType = typeof body.changeType === 'string' ? body.changeType : '';
    const kinds = changeType.split(',').map((c) => c.trim());
    if (!changeType || kinds.some((k) => !CHANGE_TYPES.has(k)))
      throw invalid(`Invalid changeType '${changeType}'.`);
    const resource = typeof body.resource === 'string' ? body.resource : '';
    const m = /^\/?(?:me|users\/([^/]+))\/(?:calendar\/)?events$/i.exec(resource);
    if (!m)
      throw invalid(
        `Resource '${resource}' is not supported by the emulator (use me/events or users/{id}/events).`,
      );
    const owner = m[1] ? state.findUser(m[1]) : p.user;
    if (!owner || owner.id !== p.user.id) {
      // Delegated tokens may only subscribe to the signed-in user's own mailbox.
      throw new GraphError(
        403,
        'ExtensionError',
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied.]',
      );
    }
    const notificationUrl = checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl =
      body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null
        ? undefined
        : checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    const expirationMs = checkExpiration(body.expirationDateTime);
    if (typeof body.clientState === 'string' && body.clientState.length > 128) {
      throw invalid('clientState cannot be longer than 128 characters.');
    }
    const mine = [...state.subscriptions.values()].filter((s) => s.ownerId === owner.id);
    if (mine.length >= 1000) {
      throw new GraphError(
        403,
        'ExtensionError',
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: The mailbox has reached its subscription quota of 1000.]',
      );
    }
    for (const url of [notificationUrl, lifecycleNotificationUrl]) {
      if (!url) continue;
      const result = await notifier.validate(url);
      if (!result.ok) {
        throw new GraphError(
          400,
          'ValidationError',
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${url}: ${result.reason})`,
        );
      }
    }
    const sub: Subscription = {
      id: guid(),
      resource,
      ownerId: owner.id,
      tenantId: owner.tenantId,
      clientId: p.token.clientId,
      creatorId: p.user.id,
      changeType,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: typeof body.clientState === 'string' ? body.clientState : undefined,
      expirationMs,
      latestSupportedTlsVersion:
        typeof body.latestSupportedTlsVersion === 'string' ? body.latestSupportedTlsVersion : 'v1_2',
    };
    state.subscriptions.set(sub.id, sub);
    return reply.status(201).send(toJson(sub));
  });

  routing.route('GET', ['/v1.0/subscriptions'], (req, reply, p) => ({
    '@odata.context': `${base()}/$metadata#subscriptions`,
    value: [...state.subscriptions.values()]
      .filter(
        (s) => s.clientId === p.token.clientId && s.creatorId === p.user?.id && s.expirationMs > state.now(),
      )
      .map((s) => toJson(s, false)),
  }));

  routing.route('GET', ['/v1.0/subscriptions/:id'], (req, reply, p) => toJson(owned(req, p)));

  routing.route('PATCH', ['/v1.0/subscriptions/:id'], (req, reply, p) => {
    const sub = owned(req, p);
    if (sub.expirationMs <= state.now())
      throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.lifecycleNotificationUrl !== undefined) {
      throw invalid('lifecycleNotificationUrl can only be set when the subscription is created.');
    }
    if (body.expirationDateTime !== undefined) sub.expirationMs = checkExpiration(body.expirationDateTime);
    if (body.notificationUrl !== undefined)
      sub.notificationUrl = checkUrl(body.notificationUrl, 'notificationUrl');
    return toJson(sub);
  });

  // Answers a reauthorizationRequired challenge without moving the expiry (concepts/change-notifications-lifecycle-events.md).
  routing.route('POST', ['/v1.0/subscriptions/:id/reauthorize'], (req, reply, p) => {
    const sub = owned(req, p);
    if (sub.expirationMs <= state.now())
      throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
    return reply.status(204).send();
  });

  routing.route('DELETE', ['/v1.0/subscriptions/:id'], (req, reply, p) => {
    const sub = owned(req, p);
    state.subscriptions.delete(sub.id);
    return reply.status(204).send();
  });
}
