// A booking follows its Outlook event: deleted or cancelled there → cancelled by the host; moved there →
// the booking takes the new time. Our own writes come back as notifications too and change nothing.
import { formatInZone } from '@domain/availability/offset-time.js';
import type { Booking } from '@domain/booking/booking.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, SlotTaken } from '../ports/booking.repository.js';
import { CalendarWriter, type OutlookEvent } from '../ports/calendar-writer.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { BookingResources } from '../booking/booking-resource.js';

/**
 * The warning on a booking (GET and booking.calendar_changed "moved") when Outlook's new time overlaps
 * another confirmed booking of the host: the booking stays confirmed at its former time (no double
 * booking), and the event carries `outlook: { start, end }` so that the product can sort it out with the
 * host. Sent once per distinct conflicting move; the warning goes when Outlook agrees again.
 */
export const CALENDAR_MOVE_CONFLICT = 'CALENDAR_MOVE_CONFLICT';

export type FollowOutcome = 'none' | 'deleted' | 'moved' | 'move_conflict';

const same = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

export class FollowOutlookEvent {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly writer: CalendarWriter,
    private readonly outbox: DomainEventOutbox,
    private readonly resources: BookingResources,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(workspaceId: string, hostId: string, eventId: string): Promise<FollowOutcome> {
    const booking = await this.bookings.findByCalendarEvent(workspaceId, hostId, eventId);
    if (!booking || !booking.isConfirmed) return 'none';
    const outlook = await this.writer.readEvent(workspaceId, hostId, eventId);
    if (!outlook || outlook.isCancelled) return this.cancel(booking);
    const c = booking.calendar;
    if (
      (same(booking.start, outlook.start) && same(booking.end, outlook.end)) ||
      // Outlook still shows what we last wrote: the booking moved here and the sync worker will push it.
      (same(c.writtenStart, outlook.start) && c.writtenEnd !== null && same(c.writtenEnd, outlook.end))
    ) {
      if (c.outlookConflict) await this.resolved(booking);
      return 'none';
    }
    return this.move(booking, outlook);
  }

  /** The host put the event back: the conflict flag goes (no webhook: the booking's time never changed). */
  private async resolved(booking: Booking): Promise<void> {
    await this.uow.transactional(async () => {
      const fresh = await this.bookings.findById(booking.workspaceId, booking.id);
      if (fresh?.outlookConflictResolved(this.clock.now())) await this.bookings.save(fresh);
    });
  }

  private async cancel(booking: Booking): Promise<FollowOutcome> {
    return this.uow.transactional(async () => {
      const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
      if (!fresh || !fresh.isConfirmed) return 'none';
      const now = this.clock.now();
      fresh.cancelledInOutlook(now);
      await this.bookings.save(fresh);
      await this.record(fresh, 'deleted', now);
      return 'deleted';
    });
  }

  private async move(booking: Booking, outlook: OutlookEvent): Promise<FollowOutcome> {
    try {
      return await this.uow.transactional(async () => {
        const fresh = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
        if (!fresh || !fresh.isConfirmed) return 'none';
        const now = this.clock.now();
        fresh.movedInOutlook(outlook.start, outlook.end, now);
        fresh.outlookConflictResolved(now);
        await this.bookings.save(fresh);
        await this.record(fresh, 'moved', now);
        return 'moved';
      });
    } catch (error) {
      if (!(error instanceof SlotTaken)) throw error;
      // The booking keeps its time, flagged; the same move seen again (another notification, a resync)
      // says nothing new.
      return this.uow.transactional(async () => {
        const fresh = await this.bookings.findById(booking.workspaceId, booking.id);
        const now = this.clock.now();
        if (!fresh || !fresh.isConfirmed || !fresh.outlookMoveConflicts(outlook, now)) return 'none';
        await this.bookings.save(fresh);
        await this.record(fresh, 'moved', now, {
          start: formatInZone(outlook.start.getTime(), 'UTC'),
          end: formatInZone(outlook.end.getTime(), 'UTC'),
        });
        return 'move_conflict';
      });
    }
  }

  private record(
    booking: Booking,
    change: 'deleted' | 'moved',
    now: Date,
    conflictingOutlook?: { start: string; end: string },
  ): Promise<void> {
    const resource = this.resources.of(booking);
    // A conflicting move: the booking (its warnings carry CALENDAR_MOVE_CONFLICT) and Outlook's times.
    const data = conflictingOutlook
      ? { ...resource, change, outlook: conflictingOutlook }
      : { ...resource, change };
    return this.outbox.record({
      workspaceId: booking.workspaceId,
      type: 'booking.calendar_changed',
      data,
      occurredAt: now,
    });
  }
}
