// Object mothers for availability policies, event types and Microsoft connections.
import { randomUUID } from 'node:crypto';
import {
  AvailabilityPolicy,
  defaultAvailabilitySettings,
  type AvailabilitySettings,
} from '@domain/availability/availability-policy.js';
import { EventType, type EventTypeDefinition } from '@domain/event-type/event-type.js';
import { MicrosoftConnection, type ConnectionStatus } from '@domain/connection/microsoft-connection.js';

let n = 0;

export function someSettings(overrides: Partial<AvailabilitySettings> = {}): AvailabilitySettings {
  return { ...defaultAvailabilitySettings('Europe/Paris'), ...overrides };
}

export function aPolicy(
  input: { workspaceId: string; memberId: string; now?: Date },
  overrides: Partial<AvailabilitySettings> = {},
): AvailabilityPolicy {
  return AvailabilityPolicy.define({
    workspaceId: input.workspaceId,
    memberId: input.memberId,
    settings: someSettings(overrides),
    now: input.now ?? new Date('2026-12-01T08:00:00Z'),
  });
}

export function anEventType(
  input: { workspaceId: string; hostIds: string[]; id?: string; now?: Date },
  overrides: Partial<EventTypeDefinition> = {},
): EventType {
  n += 1;
  return EventType.create({
    id: input.id ?? randomUUID(),
    workspaceId: input.workspaceId,
    now: input.now ?? new Date(Date.UTC(2026, 11, 1, 8, 0, n)),
    slug: `event-${n}`,
    title: `Event ${n}`,
    durationMinutes: 30,
    location: { kind: 'teams' },
    hostIds: input.hostIds,
    assignment: input.hostIds.length === 1 ? 'single' : 'round_robin',
    ...overrides,
  });
}

export function aConnection(input: {
  workspaceId: string;
  memberId: string;
  mailbox: string;
  timeZone?: string | null;
  teamsEnabled?: boolean;
  status?: ConnectionStatus;
  now?: Date;
}): MicrosoftConnection {
  const now = input.now ?? new Date('2026-11-30T08:00:00Z');
  const connection = MicrosoftConnection.connect({
    workspaceId: input.workspaceId,
    memberId: input.memberId,
    account: {
      userId: randomUUID(),
      tenantId: 'tenant-contoso',
      homeAccountId: `${randomUUID()}.tenant-contoso`,
      mailbox: input.mailbox,
      timeZone: input.timeZone === undefined ? 'Europe/Paris' : input.timeZone,
      teamsEnabled: input.teamsEnabled ?? true,
    },
    now,
  });
  if (input.status && input.status !== 'connected') connection.markFailed(input.status, 'AADSTS70008', now);
  return connection;
}
