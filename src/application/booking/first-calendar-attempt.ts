// After a booking commits, the API runs one calendar sync for it (at most 5 s) so that in the normal case
// its answer already carries the Teams link. If Microsoft is slow or failing, the answer says `pending`,
// booking.created goes out now, and booking.updated follows when the write succeeds.
import type { Booking } from '@domain/booking/booking.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { CalendarSyncQueue, type CalendarSyncClaim } from '../ports/calendar-sync.queue.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { SYNC_LEASE_MS, SyncBookingCalendar, type SyncResult } from './sync-booking-calendar.use-case.js';
import { BookingCommitter } from './booking-committer.js';

/** The work's result, or 'timeout' once the signal aborts (the work goes on in the background). */
function until<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'timeout'> {
  if (signal.aborted) return Promise.resolve('timeout');
  return Promise.race([
    work,
    new Promise<'timeout'>((resolve) => signal.addEventListener('abort', () => resolve('timeout'))),
  ]);
}

/** How long the queue entry of a booking a request just made stays claimed by that request's first attempt. */
export const FIRST_ATTEMPT_LEASE_MS = SYNC_LEASE_MS;

export class FirstCalendarAttempt {
  constructor(
    private readonly sync: SyncBookingCalendar,
    private readonly queue: CalendarSyncQueue,
    private readonly bookings: BookingRepository,
    private readonly committer: BookingCommitter,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly waitMs = 5_000,
  ) {}

  /**
   * The first write of a new booking; then booking.created, unless the sync already told it. `claim`: the
   * calendar work's claim its commit took (CommitOptions' `claimCalendarWorkForMs`), used as it is.
   */
  async run(booking: Booking, claim: CalendarSyncClaim | null = null): Promise<Booking> {
    const committed = await this.attempt(booking, true, claim);
    // The sync committed the booking announced (the usual case): that is the answer, no second look.
    if (committed?.announced) return committed;
    return this.announce(booking);
  }

  /**
   * For a booking made by an earlier request whose process died before answering: its calendar work is
   * done now if it is due, but a lease that dead process still holds is not waited for (it will not end
   * sooner); the booking is answered as it stands, and announced if it was not.
   */
  async resume(booking: Booking): Promise<Booking> {
    await this.attempt(booking, false);
    return this.announce(booking);
  }

  /** For changes whose own fact (rescheduled, cancelled) is already committed. */
  async runWithoutAnnouncing(booking: Booking): Promise<Booking> {
    await this.attempt(booking, true);
    return (await this.bookings.findById(booking.workspaceId, booking.id)) ?? booking;
  }

  /**
   * One sync of this booking, for at most `waitMs`. When another instance's worker holds it, that write
   * is waited for (within the same time) while it is under way: the queue says when it has settled.
   */
  private async attempt(
    booking: Booking,
    waitForOthers: boolean,
    claim: CalendarSyncClaim | null = null,
  ): Promise<Booking | null> {
    const signal = AbortSignal.timeout(this.waitMs);
    const sync = claim ? this.sync.runClaimed(claim, booking) : this.sync.runFor(booking.id);
    const result = await until(
      sync.catch((): SyncResult => ({ outcome: 'retry', committed: null })),
      signal,
    );
    if (result === 'timeout') return null;
    if (result.outcome === 'nothing' && waitForOthers)
      await this.queue.settled(booking.workspaceId, booking.id, () => this.clock.now(), signal);
    return result.committed;
  }

  /** The booking as it now stands, announced (booking.created) if the sync did not do it. */
  private announce(booking: Booking): Promise<Booking> {
    return retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const current = await this.bookings.findForUpdate(booking.workspaceId, booking.id);
        if (!current) return booking;
        if (current.announce(this.clock.now())) await this.committer.commit(current);
        return current;
      }),
    );
  }
}
