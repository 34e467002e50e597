// The audit trail of a workspace's access: who issued or revoked keys, granted or lost consent, connected,
// disconnected or lost a member's Microsoft 365 account, changed a member's status, or added or removed a
// webhook endpoint. Facts only, never a secret: ids and small details, no keys, tokens or signing secrets.
import type { MemberRole, MemberStatus } from '../member/member.js';

/** How long events are kept: a year and a bit, so that a yearly review always sees a whole year. */
export const AUDIT_RETENTION_DAYS = 400;

/** What each event type says beyond its object: small, non-secret facts. */
export interface AuditDetailsByType {
  'api_key.issued': Record<string, never>;
  'api_key.revoked': Record<string, never>;
  'admin_consent.granted': { scopes: string[] };
  /** `reason`: Microsoft's refusal (AADSTS codes or the OAuth error), as the consent records it. */
  'admin_consent.revoked': { reason: string };
  'member.added': { role: MemberRole };
  'member.status_changed': { from: MemberStatus; to: MemberStatus };
  'member.connected': { tenantId: string };
  'member.disconnected': Record<string, never>;
  'member.connection_revoked': { status: 'revoked' | 'reauthorization_required'; reason: string };
  /** `host` only: a webhook URL may carry a credential in its path or query. */
  'webhook_endpoint.created': { host: string; events: string[] };
  'webhook_endpoint.deleted': Record<string, never>;
}

export type AuditEventType = keyof AuditDetailsByType;

/** What kind of thing each event type is about; the object's id is given with each event. */
const OBJECT_TYPE = {
  'api_key.issued': 'api_key',
  'api_key.revoked': 'api_key',
  'admin_consent.granted': 'microsoft_tenant',
  'admin_consent.revoked': 'microsoft_tenant',
  'member.added': 'member',
  'member.status_changed': 'member',
  'member.connected': 'member',
  'member.disconnected': 'member',
  'member.connection_revoked': 'member',
  'webhook_endpoint.created': 'webhook_endpoint',
  'webhook_endpoint.deleted': 'webhook_endpoint',
} as const satisfies Record<AuditEventType, string>;

export type AuditObjectType = (typeof OBJECT_TYPE)[AuditEventType];

export const AUDIT_EVENT_TYPES = Object.keys(OBJECT_TYPE) as AuditEventType[];

export function isAuditEventType(value: unknown): value is AuditEventType {
  return typeof value === 'string' && Object.hasOwn(OBJECT_TYPE, value);
}

export function auditObjectType(type: AuditEventType): AuditObjectType {
  return OBJECT_TYPE[type];
}

/**
 * Who did it: a workspace API key (its id, never the key), the operator, a member's Microsoft account
 * (`oid` and display name) completing a sign-in, or the service on its own (e.g. a revocation Microsoft
 * reported).
 */
export type AuditActor =
  | { type: 'api_key'; id: string }
  | { type: 'operator' }
  | { type: 'microsoft_account'; id: string; name?: string }
  | { type: 'service' };

export const AUDIT_ACTOR_TYPES = ['api_key', 'operator', 'microsoft_account', 'service'] as const;

/** Who asked for a change and from which address: built by the inbound adapter, recorded as given. */
export interface Initiator {
  actor: AuditActor;
  /** The client's IP address; null when the service acted on its own. */
  clientAddress: string | null;
}

/** The service acting on its own: no client, no address. */
export const SERVICE: Initiator = Object.freeze<Initiator>({
  actor: { type: 'service' },
  clientAddress: null,
});

/** One event to record, typed so that each type carries its own details. */
export type AuditEntry = {
  [T in AuditEventType]: {
    type: T;
    objectId: string;
    details: AuditDetailsByType[T];
    by: Initiator;
    occurredAt: Date;
  };
}[AuditEventType];

/** A recorded event, as the trail gives it back. */
export interface AuditEvent {
  id: string;
  workspaceId: string;
  type: AuditEventType;
  occurredAt: Date;
  actor: AuditActor;
  clientAddress: string | null;
  object: { type: AuditObjectType; id: string };
  details: Record<string, unknown>;
}

/** The event an entry becomes once the trail gives it an id. */
export function toAuditEvent(id: string, workspaceId: string, entry: AuditEntry): AuditEvent {
  // What the service does on its own has no client: an address there would be someone else's.
  if (entry.by.actor.type === 'service' && entry.by.clientAddress !== null) {
    throw new Error('An event the service records on its own has no client address.');
  }
  return {
    id,
    workspaceId,
    type: entry.type,
    occurredAt: entry.occurredAt,
    actor: { ...entry.by.actor },
    clientAddress: entry.by.clientAddress,
    object: { type: auditObjectType(entry.type), id: entry.objectId },
    details: JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>,
  };
}
