// Table mappings for availability policies, event types and their hosts: plain records, mapped by hand.
import { EntitySchema } from '@mikro-orm/core';

export interface AvailabilityPolicyRecord {
  memberId: string;
  workspaceId: string;
  timeZone: string;
  weekly: unknown;
  overrides: unknown;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  maxDaysAhead: number | null;
  busyStatuses: unknown;
  extraCalendars: unknown;
  updatedAt: Date;
}

export const AvailabilityPolicySchema = new EntitySchema<AvailabilityPolicyRecord>({
  name: 'AvailabilityPolicyRecord',
  tableName: 'availability_policies',
  properties: {
    memberId: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    timeZone: { type: 'text' },
    weekly: { type: 'json', columnType: 'jsonb' },
    overrides: { type: 'json', columnType: 'jsonb' },
    bufferBeforeMinutes: { type: 'integer' },
    bufferAfterMinutes: { type: 'integer' },
    minimumNoticeMinutes: { type: 'integer' },
    maxDaysAhead: { type: 'integer', nullable: true },
    busyStatuses: { type: 'json', columnType: 'jsonb' },
    extraCalendars: { type: 'json', columnType: 'jsonb' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

export interface EventTypeRecord {
  id: string;
  workspaceId: string;
  slug: string;
  title: string;
  durationMinutes: number;
  slotIntervalMinutes: number | null;
  locationKind: string;
  locationValue: string | null;
  assignment: string;
  bookingPageEnabled: boolean;
  questions: unknown;
  limitPerDay: number | null;
  limitPerWeek: number | null;
  minimumGapMinutes: number;
  rooms: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export const EventTypeSchema = new EntitySchema<EventTypeRecord>({
  name: 'EventTypeRecord',
  tableName: 'event_types',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    slug: { type: 'text' },
    title: { type: 'text' },
    durationMinutes: { type: 'integer' },
    slotIntervalMinutes: { type: 'integer', nullable: true },
    locationKind: { type: 'text' },
    locationValue: { type: 'text', nullable: true },
    assignment: { type: 'text' },
    bookingPageEnabled: { type: 'boolean' },
    questions: { type: 'json', columnType: 'jsonb' },
    limitPerDay: { type: 'integer', nullable: true },
    limitPerWeek: { type: 'integer', nullable: true },
    minimumGapMinutes: { type: 'integer' },
    rooms: { type: 'json', columnType: 'jsonb', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

export interface EventTypeHostRecord {
  eventTypeId: string;
  memberId: string;
  workspaceId: string;
  position: number;
}

export const EventTypeHostSchema = new EntitySchema<EventTypeHostRecord>({
  name: 'EventTypeHostRecord',
  tableName: 'event_type_hosts',
  properties: {
    eventTypeId: { type: 'uuid', primary: true },
    memberId: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    position: { type: 'integer' },
  },
});
