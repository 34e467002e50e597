// Reads an event type's rooms from Microsoft 365: their busy time with getSchedule, through a connected host's
// delegated token (rooms are mailboxes of the tenant; one call reads the pool of up to 20), the next host's
// token when one cannot read, through the free/busy gateway (and its cache: a room read is kept apart from
// hosts' reads, for its short TTL). Every item but `free` blocks a room. A room whose calendar cannot be read
// is busy throughout: unreadable is never free. kailenty's own claims on the rooms (its confirmed bookings'
// rooms and its live holds', read from the database with the event type) are added to the rooms' busy time:
// the cached read may not show a room kailenty booked a moment ago, and a hold is never in Outlook at all.
import { withClaims, type RoomBusy, type RoomClaimTime } from '@domain/availability/room-filter.js';
import type { RoomPool } from '@domain/event-type/room-pool.js';
import { FreeBusyGateway } from '../ports/free-busy.gateway.js';

/** Hosts whose token a room read tries before it gives up. */
const READERS = 3;

const ALWAYS = [{ start: -Infinity, end: Infinity }];

export interface LoadedRooms {
  /** Every room of the pool, in its order. */
  rooms: RoomBusy[];
  /** Rooms that could not be read (busy throughout in `rooms`). */
  unreadable: string[];
  /** Epoch ms: when Microsoft 365 was read for the rooms (a cached read: when it was read); null: not read. */
  readAt: number | null;
}

export class RoomCalendars {
  constructor(private readonly freeBusy: FreeBusyGateway) {}

  async load(input: {
    workspaceId: string;
    pool: RoomPool;
    /** Connected hosts of the event type, in the order their tokens are tried. */
    readers: readonly string[];
    start: number;
    end: number;
    now: Date;
    /** Past any cache: a booking's pick of its room. */
    fresh?: boolean;
    /** kailenty's own claims on the rooms (default: none). */
    claims?: readonly RoomClaimTime[];
    /**
     * A booking being rescheduled: its own meeting in its room's calendar (one item exactly at the times last
     * written to its Outlook event) and its own claim do not keep it from its new time.
     */
    own?: { bookingId: string; room: string; meeting: { start: number; end: number } | null };
  }): Promise<LoadedRooms> {
    let remaining = input.pool.rooms.map((r) => r.email);
    const unreadable = new Set<string>();
    const busy = new Map<string, { start: number; end: number }[]>();
    let readAt: number | null = null;
    for (const reader of input.readers.slice(0, READERS)) {
      while (remaining.length > 0) {
        const answer = await this.freeBusy.hostSchedule({
          workspaceId: input.workspaceId,
          memberId: reader,
          mailbox: remaining[0]!,
          extraCalendars: remaining.slice(1),
          start: input.start,
          end: input.end,
          fresh: input.fresh,
          rooms: true,
        });
        if (answer.ok) {
          for (const item of answer.items) {
            if (item.status === 'free') continue;
            const key = item.calendar.toLowerCase();
            busy.set(key, [...(busy.get(key) ?? []), { start: item.start, end: item.end }]);
          }
          readAt = answer.readAt ?? input.now.getTime();
          remaining = [];
          break;
        }
        // One room Microsoft 365 cannot read: the others are read without it.
        const room = answer.calendar?.toLowerCase();
        if (room === undefined || !remaining.includes(room)) break;
        unreadable.add(room);
        remaining = remaining.filter((r) => r !== room);
      }
      if (remaining.length === 0) break;
    }
    for (const room of remaining) unreadable.add(room);
    const own = input.own;
    if (own?.meeting) {
      const items = busy.get(own.room.toLowerCase()) ?? [];
      const at = items.findIndex((b) => b.start === own.meeting!.start && b.end === own.meeting!.end);
      if (at >= 0) busy.set(own.room.toLowerCase(), [...items.slice(0, at), ...items.slice(at + 1)]);
    }
    const read = input.pool.rooms.map((r) => ({
      email: r.email,
      busy: unreadable.has(r.email) ? ALWAYS : (busy.get(r.email) ?? []),
    }));
    return {
      rooms: withClaims(
        read,
        (input.claims ?? []).filter((c) => c.bookingId !== own?.bookingId),
      ),
      unreadable: input.pool.rooms.filter((r) => unreadable.has(r.email)).map((r) => r.email),
      readAt,
    };
  }
}
