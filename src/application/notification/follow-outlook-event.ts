// A booking follows its Outlook event: deleted or cancelled there → cancelled by the host; moved there →
// the booking takes the new time. Our own writes come back as notifications too and change nothing: when the
// notifications carry the very version our last write produced (its change key), Outlook is not even read.
// A room that declined the meeting is followed too (FollowRoomAnswer), and so are the co-hosts' answers (a
// collective booking's other hosts, attendees of the organiser's event): a decline is HOST_DECLINED.
import type { Booking } from '@domain/booking/booking.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, SlotTaken, retryOnWriteConflict } from '../ports/booking.repository.js';
import { CalendarWriter, type OutlookEvent } from '../ports/calendar-writer.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingCommitter } from '../booking/booking-committer.js';
import { FollowRoomAnswer } from '../booking/follow-room-answer.js';

/**
 * The warning on a booking (GET and booking.calendar_changed "moved") when Outlook's new time overlaps
 * another confirmed booking of the host: the booking stays confirmed at its former time (no double
 * booking), and the event carries `outlook: { start, end }` so that the product can sort it out with the
 * host. Sent once per distinct conflicting move; the warning goes when Outlook agrees again.
 */
export const CALENDAR_MOVE_CONFLICT = 'CALENDAR_MOVE_CONFLICT';

/** `own_write`: the notifications were our last write coming back (their change key is its); nothing read. */
export type FollowOutcome =
  | 'none'
  | 'own_write'
  | 'deleted'
  | 'moved'
  | 'move_conflict'
  | 'room_moved'
  | 'room_unavailable'
  | 'host_answers';

const same = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

/** At most this many events' bookings in one read (`executeAll`). */
const FOLLOW_CHUNK = 100;

/** What needs no look at Outlook: the event has no confirmed booking, or this is our own write coming back. */
function settledBy(booking: Booking | null, changeKeys: readonly (string | null)[]): FollowOutcome | null {
  if (!booking || !booking.isConfirmed) return 'none';
  if (booking.isOwnWrite(changeKeys)) return 'own_write';
  return null;
}

export class FollowOutlookEvent {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly writer: CalendarWriter,
    private readonly committer: BookingCommitter,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly rooms: FollowRoomAnswer,
  ) {}

  /** `changeKeys`: the versions the event's change notifications carried (none when it is a resync's find). */
  async execute(
    workspaceId: string,
    hostId: string,
    eventId: string,
    changeKeys: readonly (string | null)[] = [],
  ): Promise<FollowOutcome> {
    const booking = await this.bookings.findByCalendarEvent(workspaceId, hostId, eventId);
    return this.follow(workspaceId, hostId, eventId, changeKeys, booking);
  }

  /**
   * `execute` for several events of the host, one after the other (the first failure stops the rest), with
   * their bookings read together (`findByCalendarEvents`) rather than one read each. No booking is read
   * earlier than `execute` one by one would read it: a read covers the events up to the first one that has to
   * look at Outlook (the others — no confirmed booking, our own write coming back — end without any I/O), and
   * the events after that one are read again once it is followed. Our own writes coming back, the usual
   * notifications, take one read for the lot.
   */
  async executeAll(
    workspaceId: string,
    hostId: string,
    events: readonly { eventId: string; changeKeys?: readonly (string | null)[] }[],
  ): Promise<FollowOutcome[]> {
    const outcomes: FollowOutcome[] = [];
    while (outcomes.length < events.length) {
      const next = events.slice(outcomes.length, outcomes.length + FOLLOW_CHUNK);
      const found = await this.bookings.findByCalendarEvents(
        workspaceId,
        hostId,
        next.map((e) => e.eventId),
      );
      for (const { eventId, changeKeys = [] } of next) {
        const booking = found.get(eventId) ?? null;
        const settled = settledBy(booking, changeKeys);
        if (settled) {
          outcomes.push(settled);
          continue;
        }
        outcomes.push(await this.follow(workspaceId, hostId, eventId, changeKeys, booking));
        break;
      }
    }
    return outcomes;
  }

  private async follow(
    workspaceId: string,
    hostId: string,
    eventId: string,
    changeKeys: readonly (string | null)[],
    booking: Booking | null,
  ): Promise<FollowOutcome> {
    const settled = settledBy(booking, changeKeys);
    if (settled || !booking) return settled ?? 'none'; // settledBy answers 'none' for no booking
    const outlook = await this.writer.readEvent(workspaceId, hostId, eventId);
    if (!outlook || outlook.isCancelled) return this.cancel(booking);
    const c = booking.calendar;
    if (
      (same(booking.start, outlook.start) && same(booking.end, outlook.end)) ||
      // Outlook still shows what we last wrote: the booking moved here and the sync worker will push it.
      (same(c.writtenStart, outlook.start) && c.writtenEnd !== null && same(c.writtenEnd, outlook.end))
    ) {
      if (c.outlookConflict) await this.resolved(booking);
      const room = await this.rooms.execute(booking, outlook);
      const hosts = await this.hostAnswers(booking, outlook);
      return room !== 'none' ? room : hosts;
    }
    return this.move(booking, outlook);
  }

  /** The host put the event back: the conflict flag goes (no webhook: the booking's time never changed). */
  private async resolved(booking: Booking): Promise<void> {
    await retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
        if (fresh?.outlookConflictResolved(this.clock.now())) await this.committer.commit(fresh);
      }),
    );
  }

  /**
   * The co-hosts' answers as Outlook shows them on the organiser's event: a new decline (or a decline taken
   * back) is recorded once, with booking.updated; the booking stays confirmed and keeps blocking every host.
   */
  private async hostAnswers(booking: Booking, outlook: OutlookEvent): Promise<FollowOutcome> {
    if (!booking.isCollective) return 'none';
    return retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
        if (!fresh?.hostAnswers(outlook.declinedAttendees, this.clock.now())) return 'none' as const;
        await this.committer.commit(fresh);
        return 'host_answers' as const;
      }),
    );
  }

  private async cancel(booking: Booking): Promise<FollowOutcome> {
    return retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
        if (!fresh || !fresh.isConfirmed) return 'none';
        fresh.cancelledInOutlook(this.clock.now());
        await this.committer.commit(fresh);
        return 'deleted';
      }),
    );
  }

  private async move(booking: Booking, outlook: OutlookEvent): Promise<FollowOutcome> {
    try {
      return await retryOnWriteConflict(() =>
        this.uow.transactional(async () => {
          const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
          if (!fresh || !fresh.isConfirmed) return 'none';
          fresh.movedInOutlook(outlook.start, outlook.end, this.clock.now());
          await this.committer.commit(fresh);
          return 'moved';
        }),
      );
    } catch (error) {
      if (!(error instanceof SlotTaken)) throw error;
      // The booking keeps its time, flagged; the same move seen again (another notification, a resync)
      // says nothing new.
      return retryOnWriteConflict(() =>
        this.uow.transactional(async () => {
          const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
          if (!fresh || !fresh.isConfirmed || !fresh.outlookMoveConflicts(outlook, this.clock.now()))
            return 'none' as const;
          await this.committer.commit(fresh);
          return 'move_conflict' as const;
        }),
      );
    }
  }
}
