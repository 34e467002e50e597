// A booking as its guest sees it on the pages and in the public JSON: what, when, where, with whom (host
// display names only), warnings as sentences, and the guest's links. No host e-mail, no calendar details.
import { formatInZone } from '@domain/availability/offset-time.js';
import type { Booking, BookingWarningCode } from '@domain/booking/booking.js';
import { MemberRepository } from '../ports/member.repository.js';
import { PublicLinks } from '../ports/public-links.js';
import { BookingResources, answerResources, type AnswerResource } from '../booking/booking-resource.js';

export interface PublicBookingView {
  id: string;
  eventTypeId: string;
  start: string;
  end: string;
  status: 'confirmed' | 'cancelled';
  title: string;
  location: { kind: string; value?: string; joinUrl?: string | null };
  /** The name of the room the meeting takes; null when it takes none. */
  room: string | null;
  hostNames: string[];
  guest: { name: string; email: string; timeZone: string | null };
  note: string | null;
  answers: AnswerResource[];
  warnings: { code: BookingWarningCode; message: string }[];
  manageUrl: string | null;
  icsUrl: string | null;
}

/** What each booking warning means for the guest, and what happens next. */
export const WARNING_SENTENCES: Record<BookingWarningCode, string> = {
  TEAMS_LICENCE_MISSING:
    'The host cannot create Teams meetings, so this booking has no Teams link yet. The host will send you a way to join.',
  CALENDAR_MOVE_CONFLICT:
    'The host moved this meeting in their calendar to a time that is already taken. The host will contact you to agree on a time.',
  ROOM_UNAVAILABLE:
    'The room for this meeting declined it and no other room is free at this time. The host will tell you where to meet.',
  HOST_DECLINED:
    'One of the hosts declined this meeting in their calendar. The booking stands; the organiser will tell you who will be there.',
};

/** The HOST_DECLINED sentence naming the hosts who declined (their display names), the general one otherwise. */
function hostsDeclined(names: string[]): string {
  if (names.length === 0) return WARNING_SENTENCES.HOST_DECLINED;
  const who = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${who} declined this meeting in their calendar. The booking stands; the organiser will tell you who will be there.`;
}

export class PublicBookingViews {
  constructor(
    private readonly members: MemberRepository,
    private readonly resources: BookingResources,
    private readonly links: PublicLinks,
  ) {}

  async of(booking: Booking): Promise<PublicBookingView> {
    const s = booking.toSnapshot();
    // Every host of the booking (a collective one has several), the organiser first.
    const hosts = await this.members.findByIds(s.workspaceId, booking.hostIds);
    const names = new Map(hosts.map((m) => [m.id, m.toSnapshot().displayName]));
    const token = this.resources.token(booking);
    const location: PublicBookingView['location'] = { kind: s.location.kind };
    if (s.location.kind === 'teams') location.joinUrl = s.location.joinUrl;
    else if (s.location.value !== null) location.value = s.location.value;
    return {
      id: s.id,
      eventTypeId: s.eventTypeId,
      start: formatInZone(s.start.getTime(), 'UTC'),
      end: formatInZone(s.end.getTime(), 'UTC'),
      status: s.status,
      title: s.title,
      location,
      room: s.room?.name ?? null,
      hostNames: booking.hostIds.flatMap((id) => names.get(id) ?? []),
      guest: { ...s.guest },
      note: s.note,
      answers: answerResources(s.answers),
      warnings: s.warnings.map((code) => ({
        code,
        message:
          code === 'HOST_DECLINED'
            ? hostsDeclined((s.calendar.declinedHosts ?? []).flatMap((id) => names.get(id) ?? []))
            : WARNING_SENTENCES[code],
      })),
      manageUrl: token === null ? null : this.links.manage(token),
      icsUrl: token === null ? null : this.links.ics(token),
    };
  }
}
