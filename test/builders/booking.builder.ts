// Object mother for bookings.
import { randomBytes, randomUUID } from 'node:crypto';
import { Booking } from '@domain/booking/booking.js';
import type { BookingAnswer } from '@domain/event-type/booking-question.js';

export function aBooking(
  overrides: Partial<{
    id: string;
    workspaceId: string;
    hostId: string;
    /** A collective booking's other hosts. */
    coHosts: {
      hostId: string;
      bufferBeforeMinutes: number;
      bufferAfterMinutes: number;
      name?: string;
      email?: string | null;
    }[];
    eventTypeId: string;
    start: string | Date;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    location: { kind: 'teams' | 'in_person' | 'phone'; value: string | null };
    now: Date;
    manageToken: { hash: string; sealed: string };
    answers: BookingAnswer[];
    room: { email: string; name: string } | null;
  }> = {},
): Booking {
  return Booking.confirm({
    id: overrides.id ?? randomUUID(),
    workspaceId: overrides.workspaceId ?? randomUUID(),
    eventTypeId: overrides.eventTypeId ?? randomUUID(),
    hostId: overrides.hostId ?? randomUUID(),
    coHosts: (overrides.coHosts ?? []).map((h) => ({ name: 'Co-host', email: null, ...h })),
    start: new Date(overrides.start ?? '2026-12-03T09:00:00Z'),
    durationMinutes: overrides.durationMinutes ?? 30,
    bufferBeforeMinutes: overrides.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: overrides.bufferAfterMinutes ?? 0,
    guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: null },
    note: null,
    answers: overrides.answers ?? [],
    title: 'Intro call',
    location: overrides.location ?? { kind: 'teams', value: null },
    room: overrides.room ?? null,
    transactionId: randomUUID(),
    manageToken: overrides.manageToken ?? { hash: randomBytes(32).toString('hex'), sealed: 'not-sealed' },
    now: overrides.now ?? new Date('2026-12-01T08:00:00Z'),
  });
}
