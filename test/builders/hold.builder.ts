// Object mother for holds.
import { randomUUID } from 'node:crypto';
import { Hold } from '@domain/hold/hold.js';

export function aHold(
  overrides: Partial<{
    id: string;
    workspaceId: string;
    hostId: string;
    eventTypeId: string;
    start: string | Date;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    timeZone: string;
    expiresInSeconds: number;
    now: Date;
    holder: string | null;
    room: { email: string; name: string } | null;
  }> = {},
): Hold {
  return Hold.place({
    id: overrides.id ?? randomUUID(),
    workspaceId: overrides.workspaceId ?? randomUUID(),
    eventTypeId: overrides.eventTypeId ?? randomUUID(),
    hostId: overrides.hostId ?? randomUUID(),
    start: new Date(overrides.start ?? '2026-12-03T09:00:00Z'),
    durationMinutes: overrides.durationMinutes ?? 30,
    bufferBeforeMinutes: overrides.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: overrides.bufferAfterMinutes ?? 0,
    timeZone: overrides.timeZone ?? 'Europe/Paris',
    expiresInSeconds: overrides.expiresInSeconds ?? 300,
    now: overrides.now ?? new Date('2026-12-01T08:00:00Z'),
    holder: overrides.holder ?? null,
    room: overrides.room ?? null,
  });
}
