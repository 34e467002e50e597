// Table mappings for Microsoft connections, tenant consent, OAuth states and the domain-event outbox.
import { EntitySchema } from '@mikro-orm/core';
import type { WorkingHours } from '@domain/availability/working-hours.js';

export interface MicrosoftConnectionRecord {
  memberId: string;
  workspaceId: string;
  userId: string;
  tenantId: string;
  homeAccountId: string;
  mailbox: string;
  timeZone: string | null;
  windowsTimeZone: string | null;
  workingHours: WorkingHours | null;
  teamsEnabled: boolean;
  status: string;
  statusReason: string | null;
  connectedAt: Date;
  lastSignInAt: Date;
  statusChangedAt: Date;
}

const timestamp = { type: 'datetime', columnType: 'timestamptz' } as const;

export const MicrosoftConnectionSchema = new EntitySchema<MicrosoftConnectionRecord>({
  name: 'MicrosoftConnectionRecord',
  tableName: 'microsoft_connections',
  properties: {
    memberId: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    userId: { type: 'text' },
    tenantId: { type: 'text' },
    homeAccountId: { type: 'text' },
    mailbox: { type: 'text' },
    timeZone: { type: 'text', nullable: true },
    windowsTimeZone: { type: 'text', nullable: true },
    workingHours: { type: 'json', nullable: true },
    teamsEnabled: { type: 'boolean' },
    status: { type: 'text' },
    statusReason: { type: 'text', nullable: true },
    connectedAt: timestamp,
    lastSignInAt: timestamp,
    statusChangedAt: timestamp,
  },
});

export interface TenantConsentRecord {
  workspaceId: string;
  tenantId: string | null;
  status: string;
  grantType: string | null;
  scopes: string[];
  grantedAt: Date | null;
  grantedBy: string | null;
  revokedAt: Date | null;
  statusReason: string | null;
  updatedAt: Date;
}

export const TenantConsentSchema = new EntitySchema<TenantConsentRecord>({
  name: 'TenantConsentRecord',
  tableName: 'tenant_consents',
  properties: {
    workspaceId: { type: 'uuid', primary: true },
    tenantId: { type: 'text', nullable: true },
    status: { type: 'text' },
    grantType: { type: 'text', nullable: true },
    scopes: { type: 'json' },
    grantedAt: { ...timestamp, nullable: true },
    grantedBy: { type: 'text', nullable: true },
    revokedAt: { ...timestamp, nullable: true },
    statusReason: { type: 'text', nullable: true },
    updatedAt: timestamp,
  },
});

export interface AuthorizationStateRecord {
  id: string;
  purpose: string;
  workspaceId: string;
  memberId: string | null;
  returnUrl: string;
  codeVerifier: string | null;
  nonce: string | null;
  tenant: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

export const AuthorizationStateSchema = new EntitySchema<AuthorizationStateRecord>({
  name: 'AuthorizationStateRecord',
  tableName: 'authorization_states',
  properties: {
    id: { type: 'text', primary: true },
    purpose: { type: 'text' },
    workspaceId: { type: 'uuid' },
    memberId: { type: 'uuid', nullable: true },
    returnUrl: { type: 'text' },
    codeVerifier: { type: 'text', nullable: true },
    nonce: { type: 'text', nullable: true },
    tenant: { type: 'text', nullable: true },
    createdAt: timestamp,
    expiresAt: timestamp,
    consumedAt: { ...timestamp, nullable: true },
  },
});

export interface DomainEventRecord {
  id: string;
  workspaceId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
  dispatchedAt: Date | null;
  /** A booking's fact: the booking and the fact's number in its story. */
  bookingId: string | null;
  sequence: number | null;
}

export const DomainEventSchema = new EntitySchema<DomainEventRecord>({
  name: 'DomainEventRecord',
  tableName: 'domain_events',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    type: { type: 'text' },
    data: { type: 'json' },
    occurredAt: timestamp,
    dispatchedAt: { ...timestamp, nullable: true },
    bookingId: { type: 'uuid', nullable: true },
    sequence: { type: 'integer', nullable: true },
  },
});
