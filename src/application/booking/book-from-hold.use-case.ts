// A guest books the start their hold keeps. The hold already owns the host's time, so nothing is read from
// Microsoft 365 again: in one transaction, under the host's lock, the live hold becomes the booking (the hold
// stops blocking and the booking starts to, atomically). A hold that expired, was released or already
// became a booking is HOLD_EXPIRED; the event type's limits are counted again (a booking made meanwhile may
// have reached one: SLOT_UNAVAILABLE, and the hold stays). An Idempotency-Key works as on BookSlot.
// An event type with rooms takes the room the hold keeps (nobody else could take it while the hold was live).
// A hold that keeps none (placed before holds kept rooms, or an optional pool with no room free then) takes
// its room now, as BookSlot does: the first room of the pool free for the meeting (a fresh read), the next one
// when a racing booking took it; a required pool with no room free is SLOT_UNAVAILABLE (the hold stays), an
// optional one books without.
import { Booking, type Guest } from '@domain/booking/booking.js';
import { holdExpired } from '@domain/hold/hold.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { answersFor } from '@domain/event-type/booking-question.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { ManageTokens } from '../ports/manage-tokens.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import { bookedWithFirstFreeRoom, freeRoomsFor, roomCandidates } from './booking-rooms.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { HoldRepository } from '../ports/hold.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { FIRST_ATTEMPT_LEASE_MS, FirstCalendarAttempt } from './first-calendar-attempt.js';
import type { CalendarSyncClaim } from '../ports/calendar-sync.queue.js';
import { BookingCommitter } from './booking-committer.js';
import { bookedOnce, confirmBooking, slotUnavailable } from './book-slot.use-case.js';

export interface BookFromHoldInput {
  workspaceId: string;
  holdId: string;
  guest: Guest;
  note: string | null;
  answers?: unknown;
  /** As on BookSlotInput. */
  idempotencyKey?: string | null;
  /** A booking page's event type: a hold of another one is NOT_FOUND there. Absent: any of the workspace. */
  eventTypeId?: string;
}

export class BookFromHold {
  constructor(
    private readonly holds: HoldRepository,
    private readonly eventTypes: EventTypeRepository,
    private readonly bookings: BookingRepository,
    private readonly committer: BookingCommitter,
    private readonly firstAttempt: FirstCalendarAttempt,
    private readonly ids: IdGenerator,
    private readonly tokens: ManageTokens,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly rooms: RoomCalendars,
  ) {}

  async execute(input: BookFromHoldInput): Promise<Booking> {
    Booking.checkGuest(input.guest, input.note);
    const key = input.idempotencyKey ?? null;
    return bookedOnce(this.bookings, this.firstAttempt, input.workspaceId, key, () => this.book(input, key));
  }

  private async book(input: BookFromHoldInput, key: string | null): Promise<Booking> {
    const hold = await this.holds.findById(input.workspaceId, input.holdId);
    if (!hold || (input.eventTypeId !== undefined && hold.eventTypeId !== input.eventTypeId))
      throw DomainError.notFound('Hold');
    const eventType = await this.eventTypes.findById(input.workspaceId, hold.eventTypeId);
    if (!eventType) throw DomainError.notFound('Event type');
    const answers = answersFor(eventType.questions, input.answers);
    const now = this.clock.now();
    if (!hold.isLiveAt(now)) throw holdExpired();
    const end = hold.start.getTime() + hold.durationMinutes * 60_000;
    const candidates = hold.room
      ? [hold.room]
      : roomCandidates(
          eventType,
          await freeRoomsFor(
            this.rooms,
            eventType,
            [{ hostId: hold.hostId, problem: null }],
            hold.start.getTime(),
            end,
            now,
          ),
        );
    let claim: CalendarSyncClaim | null = null;
    const booking = await bookedWithFirstFreeRoom(
      candidates,
      async (room) => {
        const booking = confirmBooking(this.ids, this.tokens, eventType, {
          hostId: hold.hostId,
          start: hold.start,
          durationMinutes: hold.durationMinutes,
          bufferBeforeMinutes: hold.bufferBeforeMinutes,
          bufferAfterMinutes: hold.bufferAfterMinutes,
          guest: input.guest,
          note: input.note,
          answers,
          room,
          now,
        });
        // A room taken meanwhile rolls the whole transaction back, the hold's change included.
        await retryOnWriteConflict(() =>
          this.uow.transactional(async () => {
            // The host's lock, then the hold's row: a release or another booking of the hold waits, then sees it.
            const locked = await this.holds.findForUpdate(input.workspaceId, hold.id);
            if (!locked) throw holdExpired();
            locked.convert(booking.id, now);
            await this.holds.save(locked);
            claim = await this.committer.commit(booking, {
              insert: { idempotencyKey: key },
              calendarDueAt: now,
              claimCalendarWorkForMs: FIRST_ATTEMPT_LEASE_MS,
              limits: { limits: eventType.limits, timeZone: hold.timeZone },
            });
          }),
        );
        return booking;
      },
      slotUnavailable,
    );
    if (!booking) throw slotUnavailable();
    return this.firstAttempt.run(booking, claim);
  }
}
