// A URL of a product team's where kailenty POSTs the events it subscribed to, signed with the endpoint's secret.
import { Checks } from '../shared/validation.js';
import { isIpLiteral, isPrivateAddress } from './private-address.js';

export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.updated',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.reminder',
  'booking.calendar_changed',
  'connection.revoked',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Subscribes to every public event type, those added to the list later included. */
export const ALL_WEBHOOK_EVENTS = '*';
export const MAX_WEBHOOK_ENDPOINTS_PER_WORKSPACE = 20;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface WebhookEndpointSnapshot {
  id: string;
  workspaceId: string;
  url: string;
  /** Event types, or `['*']` for all of them. */
  events: string[];
  /**
   * The HMAC key (`whsec_…`); shown to the product team once, at creation. Null when the store cannot give
   * it back (`secretProblem` says why): the endpoint is still listed and matched, but nothing can be signed.
   */
  secret: string | null;
  /** Why `secret` is null, in words for the endpoint's listing and its delivery log. */
  secretProblem?: string;
  createdAt: Date;
}

/** Where webhooks may go: the WEBHOOK_ALLOW_PRIVATE_NETWORKS setting. */
export interface WebhookTargetPolicy {
  /** Loopback, private, link-local and unique-local targets too (sandbox, tests, an internal receiver). */
  allowPrivateNetworks: boolean;
}

export class WebhookEndpoint {
  private constructor(private readonly state: WebhookEndpointSnapshot) {}

  static register(input: {
    id: string;
    workspaceId: string;
    url: string;
    events: string[];
    secret: string;
    now: Date;
    policy: WebhookTargetPolicy;
  }): WebhookEndpoint {
    const urlProblem = webhookUrlProblem(input.url, input.policy);
    const events = Array.isArray(input.events) ? input.events : [];
    const known = new Set<string>([...WEBHOOK_EVENT_TYPES, ALL_WEBHOOK_EVENTS]);
    const unknown = events.filter((e) => typeof e !== 'string' || !known.has(e));
    new Checks()
      .require(urlProblem === null, 'url', urlProblem ?? '')
      .require(events.length > 0, 'events', 'must name at least one event type')
      .require(
        unknown.length === 0,
        'events',
        `must be among ${[...WEBHOOK_EVENT_TYPES, ALL_WEBHOOK_EVENTS].join(', ')} (not ${unknown.join(', ')})`,
      )
      .throwIfAny();
    // '*' already means everything; duplicates add nothing. Order is kept as given.
    const normalized = events.includes(ALL_WEBHOOK_EVENTS) ? [ALL_WEBHOOK_EVENTS] : [...new Set(events)];
    return new WebhookEndpoint({
      id: input.id,
      workspaceId: input.workspaceId,
      // As posted (once valid): the product team finds the URL it registered, byte for byte.
      url: input.url,
      events: normalized,
      secret: input.secret,
      createdAt: input.now,
    });
  }

  static fromSnapshot(snapshot: WebhookEndpointSnapshot): WebhookEndpoint {
    return new WebhookEndpoint({ ...snapshot, events: [...snapshot.events] });
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get url(): string {
    return this.state.url;
  }
  get secret(): string | null {
    return this.state.secret;
  }
  /** Why nothing can be signed for this endpoint right now, or null when its secret is at hand. */
  get secretProblem(): string | null {
    return this.state.secret === null
      ? (this.state.secretProblem ?? 'the signing secret is unreadable')
      : null;
  }

  /** Only the public event types are ever sent: other domain events in the outbox stay internal. */
  subscribesTo(eventType: string): boolean {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(eventType)) return false;
    return this.state.events.includes(ALL_WEBHOOK_EVENTS) || this.state.events.includes(eventType);
  }

  toSnapshot(): WebhookEndpointSnapshot {
    return { ...this.state, events: [...this.state.events] };
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Why a URL cannot receive webhooks, or null when it can. HTTPS anywhere; plain HTTP only to this machine
 * (localhost, 127.0.0.0/8, [::1]), for development, sandbox and tests: signed payloads carry bookings and
 * member data, which must not cross a network in clear. Unless the policy allows private networks, an IP
 * literal in a loopback, private, link-local or unique-local range is refused here; names are checked when
 * they are resolved, at each delivery.
 */
export function webhookUrlProblem(value: unknown, policy: WebhookTargetPolicy): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be an absolute http(s) URL';
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http(s) URL';
  if (!policy.allowPrivateNetworks && isIpLiteral(url.hostname) && isPrivateAddress(url.hostname))
    return 'must not point at a loopback, private, link-local or unique-local address';
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    return 'must use https (http is allowed only for localhost and 127.0.0.1)';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  return null;
}
