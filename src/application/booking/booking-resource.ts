// The booking as API.md shows it: in responses and in every booking.* webhook.
import { formatInZone } from '@domain/availability/offset-time.js';
import type { DeepReadonly } from '@domain/shared/deep-readonly.js';
import type { Booking } from '@domain/booking/booking.js';
import type { AnswerValue, BookingAnswer } from '@domain/event-type/booking-question.js';
import { ManageTokens } from '../ports/manage-tokens.js';
import { PublicLinks } from '../ports/public-links.js';

export interface BookingResource {
  id: string;
  status: 'confirmed' | 'cancelled';
  eventTypeId: string;
  /** The host whose calendar holds the event (a collective booking's organiser). */
  hostId: string;
  /** Every host of the booking, `hostId` first (more than one for a collective event type). */
  hostIds: string[];
  start: string;
  end: string;
  guest: { name: string; email: string; timeZone: string | null };
  note: string | null;
  /** The guest's answers, in the order the questions were asked, with each question's label as it was asked. */
  answers: AnswerResource[];
  location: { kind: string; value?: string; joinUrl?: string | null };
  /** The room the booking takes (event types with rooms); absent when it takes none. */
  room?: { email: string; name: string };
  /** HOST_DECLINED comes once per co-host who declined, with that host's id. */
  warnings: { code: string; hostId?: string }[];
  calendar: { eventId: string | null; syncStatus: string; lastError?: string };
  cancelledBy: string | null;
  cancellationReason: string | null;
  /** The guest's manage page; null only for bookings made before manage links existed. */
  manageUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AnswerResource {
  questionId: string;
  label: string;
  value: AnswerValue;
}

export const answerResources = (answers: DeepReadonly<BookingAnswer[]>): AnswerResource[] =>
  answers.map(({ questionId, label, value }) => ({
    questionId,
    label,
    value: typeof value === 'object' ? [...value] : value,
  }));

/** Writes bookings as resources, with the manage link revealed from its sealed form. */
export class BookingResources {
  constructor(
    private readonly tokens: ManageTokens,
    private readonly links: PublicLinks,
  ) {}

  /** The manage token in clear, or null when the booking has none (or it cannot be opened). */
  token(booking: Booking): string | null {
    const ref = booking.manageToken;
    return ref ? this.tokens.reveal(booking.id, ref.sealed) : null;
  }

  of(booking: Booking): BookingResource {
    const token = this.token(booking);
    return bookingResource(booking, token === null ? null : this.links.manage(token));
  }
}

export function bookingResource(booking: Booking, manageUrl: string | null): BookingResource {
  const s = booking.view();
  const location: BookingResource['location'] = { kind: s.location.kind };
  // A cancelled booking's meeting is gone with its event (bookings cancelled before this rule kept the link).
  if (s.location.kind === 'teams') location.joinUrl = s.status === 'cancelled' ? null : s.location.joinUrl;
  else if (s.location.value !== null) location.value = s.location.value;
  const calendar: BookingResource['calendar'] = {
    eventId: s.calendar.eventId,
    syncStatus: s.calendar.syncStatus,
  };
  if (s.calendar.lastError) calendar.lastError = s.calendar.lastError;
  const room = s.room ? { room: { email: s.room.email, name: s.room.name } } : {};
  return {
    id: s.id,
    status: s.status,
    eventTypeId: s.eventTypeId,
    hostId: s.hostId,
    hostIds: [s.hostId, ...s.coHosts.map((h) => h.hostId)],
    // Written like slots (API.md: `2026-12-01T09:00:00Z`), so a booking's start equals its slot's string.
    start: formatInZone(s.start.getTime(), 'UTC'),
    end: formatInZone(s.end.getTime(), 'UTC'),
    guest: { ...s.guest },
    note: s.note,
    answers: answerResources(s.answers),
    location,
    ...room,
    warnings: s.warnings.flatMap((code): BookingResource['warnings'] =>
      code === 'HOST_DECLINED'
        ? (s.calendar.declinedHosts ?? []).map((hostId) => ({ code, hostId }))
        : [{ code }],
    ),
    calendar,
    cancelledBy: s.cancelledBy,
    cancellationReason: s.cancellationReason,
    manageUrl,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
