// A room's answer to a booking's meeting, as Outlook shows it on the host's event (Exchange's calendar
// processing declines a room that is taken, or whose policy refuses): the next room of the pool free for the
// meeting (a fresh read; the database has the last word) takes its place, and the calendar sync invites it;
// with none left the booking stays confirmed, without a room, with ROOM_UNAVAILABLE. Either way
// booking.updated: a room is never lost silently.
import type { Booking, BookingRoom } from '@domain/booking/booking.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, RoomTaken, retryOnWriteConflict } from '../ports/booking.repository.js';
import type { OutlookEvent } from '../ports/calendar-writer.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import { BookingCommitter } from './booking-committer.js';
import { freeRoomsFor } from './booking-rooms.js';

/** `room_moved`: the next free room takes the declined one's place; `room_unavailable`: none was left. */
export type RoomAnswerOutcome = 'none' | 'room_moved' | 'room_unavailable';

export class FollowRoomAnswer {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly eventTypes: EventTypeRepository,
    private readonly rooms: RoomCalendars,
    private readonly committer: BookingCommitter,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(booking: Booking, outlook: OutlookEvent): Promise<RoomAnswerOutcome> {
    const room = booking.room?.email;
    // Only the room the event invites can have answered it.
    if (room === undefined || booking.view().calendar.writtenRoom !== room) return 'none';
    if (!outlook.declinedRooms.includes(room)) return 'none';
    const now = this.clock.now();
    const candidates = await this.nextRooms(booking, room, now);
    for (const next of [...candidates, null]) {
      try {
        const outcome = await retryOnWriteConflict(() =>
          this.uow.transactional(async () => {
            const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
            if (!fresh || !fresh.roomDeclined(room, next, now)) return 'none' as const;
            await this.committer.commit(fresh, { calendarDueAt: now });
            return next ? ('room_moved' as const) : ('room_unavailable' as const);
          }),
        );
        return outcome;
      } catch (error) {
        // A racing booking took that room: the one after it.
        if (!(error instanceof RoomTaken)) throw error;
      }
    }
    return 'none';
  }

  /** The pool's rooms free for the meeting, in order, but the one that declined and any that declined before. */
  private async nextRooms(booking: Booking, declined: string, now: Date): Promise<BookingRoom[]> {
    const eventType = await this.eventTypes.findById(booking.workspaceId, booking.eventTypeId);
    if (!eventType) return [];
    const free = await freeRoomsFor(
      this.rooms,
      eventType,
      [{ hostId: booking.hostId, problem: null }],
      booking.start.getTime(),
      booking.end.getTime(),
      now,
    );
    return (free ?? []).filter((r) => r.email !== declined && !booking.declinedRooms.includes(r.email));
  }
}
