// Table mappings for outbound webhooks: endpoints (their secrets sealed with AES-256-GCM) and deliveries.
import { EntitySchema } from '@mikro-orm/core';
import type { WebhookAttempt } from '@domain/webhook/webhook-delivery.js';

const timestamp = { type: 'datetime', columnType: 'timestamptz' } as const;

export interface WebhookEndpointRecord {
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  secretKeyId: string;
  secretIv: Buffer;
  secretTag: Buffer;
  secretCiphertext: Buffer;
  createdAt: Date;
}

export const WebhookEndpointSchema = new EntitySchema<WebhookEndpointRecord>({
  name: 'WebhookEndpointRecord',
  tableName: 'webhook_endpoints',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    url: { type: 'text' },
    events: { type: 'json' },
    secretKeyId: { type: 'text' },
    secretIv: { type: 'blob' },
    secretTag: { type: 'blob' },
    secretCiphertext: { type: 'blob' },
    createdAt: timestamp,
  },
});

export interface WebhookDeliveryRecord {
  id: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  eventOccurredAt: Date;
  bookingId: string | null;
  sequence: number | null;
  body: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  /** JSON: the attempts' dates as ISO strings. */
  attemptLog: StoredAttempt[];
  createdAt: Date;
}

export type StoredAttempt = Omit<WebhookAttempt, 'startedAt'> & { startedAt: string };

export const WebhookDeliverySchema = new EntitySchema<WebhookDeliveryRecord>({
  name: 'WebhookDeliveryRecord',
  tableName: 'webhook_deliveries',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    endpointId: { type: 'uuid' },
    eventId: { type: 'uuid' },
    eventType: { type: 'text' },
    eventOccurredAt: timestamp,
    bookingId: { type: 'uuid', nullable: true },
    sequence: { type: 'integer', nullable: true },
    body: { type: 'text' },
    status: { type: 'text' },
    attempts: { type: 'integer' },
    nextAttemptAt: { ...timestamp, nullable: true },
    lastAttemptAt: { ...timestamp, nullable: true },
    lastResponseStatus: { type: 'integer', nullable: true },
    lastError: { type: 'text', nullable: true },
    attemptLog: { type: 'json' },
    createdAt: timestamp,
  },
});
