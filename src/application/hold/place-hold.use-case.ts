// A guest keeps a start of an event type for a few minutes. The start is checked as a booking's is (a fresh
// Microsoft 365 read and each host's rules, the event type's limits included); a round-robin pool picks the
// host a booking would pick, and falls through to the next one when the database says the host's time was
// just taken (by a booking or another live hold, checked under the host's lock) or the host just reached a
// limit of the event type (a live hold counts as a booking of it, counted under the same lock). A collective
// event type is not held: a hold keeps one host's time, and a team's would need every host's; it is refused
// (400) before anything is read from Microsoft 365, and booked directly instead. An event type with rooms
// keeps a room with the hold, as a booking takes one: the first room of its pool free for the meeting (a fresh
// read), the next when the database says a racing booking or live hold just took it (checked under the room's
// lock); a required pool with no room free is SLOT_UNAVAILABLE, an optional one holds without a room.
import { Hold, HOLD_DEFAULT_SECONDS } from '@domain/hold/hold.js';
import { holdView, type HoldView } from './hold-view.js';
import { DomainError } from '@domain/shared/domain-error.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { checkInstants } from '@domain/shared/instant.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import { bookedWithFirstFreeRoom, freeRoomsFor, roomCandidates } from '../booking/booking-rooms.js';
import { HoldRepository } from '../ports/hold.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { HostCalendars } from '../availability/host-calendars.js';
import { releaseHeldBy } from './release-held-by.use-case.js';
import { refuseOverLimits } from '../booking/limits-under-lock.js';
import { assignmentOrder, offeringAmong, slotUnavailable } from '../booking/book-slot.use-case.js';

export interface PlaceHoldInput {
  workspaceId: string;
  eventTypeId: string;
  start: Date;
  /** 1..900; absent: 300. */
  expiresInSeconds?: number;
  /**
   * A booking page's session (its digest): it keeps at most one live hold, so placing this one releases the
   * session's earlier live holds in the same transaction (a taken start releases nothing). Absent: an API hold.
   */
  holder?: string | null;
}

export class PlaceHold {
  constructor(
    private readonly hostCalendars: HostCalendars,
    private readonly holds: HoldRepository,
    private readonly bookings: BookingRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly rooms: RoomCalendars,
  ) {}

  async execute(input: PlaceHoldInput): Promise<HoldView> {
    const expiresInSeconds = input.expiresInSeconds ?? HOLD_DEFAULT_SECONDS;
    checkInstants({ start: input.start });
    Hold.checkExpiry(expiresInSeconds);
    const now = this.clock.now();
    const start = input.start.getTime();
    const found = await this.hostCalendars.loadEventTypeAt(
      input.workspaceId,
      input.eventTypeId,
      start,
      now,
      { fresh: true, skipBookedOut: true },
      refuseCollective,
    );
    if (!found) throw DomainError.notFound('Event type');
    const { eventType } = found;
    const free = offeringAmong(found.hosts, eventType, start, now);
    if (free.length === 0) throw slotUnavailable();
    const end = start + eventType.durationMinutes * 60_000;
    const rooms = roomCandidates(
      eventType,
      await freeRoomsFor(this.rooms, eventType, found.hosts, start, end, now),
    );
    if (rooms.length === 0) throw slotUnavailable();
    for (const { hostId, policy } of await assignmentOrder(
      this.bookings,
      this.connections,
      eventType,
      free,
    )) {
      // A room taken meanwhile passes to the next; the host's time taken (null) to the next host.
      const placed = await bookedWithFirstFreeRoom(
        rooms,
        async (room) => {
          const hold = Hold.place({
            id: this.ids.next(),
            workspaceId: input.workspaceId,
            eventTypeId: eventType.id,
            hostId,
            start: input.start,
            durationMinutes: eventType.durationMinutes,
            bufferBeforeMinutes: policy.bufferBeforeMinutes,
            bufferAfterMinutes: policy.bufferAfterMinutes,
            timeZone: policy.timeZone,
            expiresInSeconds,
            now,
            holder: input.holder ?? null,
            room,
          });
          await retryOnWriteConflict(() =>
            this.uow.transactional(async () => {
              if (hold.holder !== null) await releaseHeldBy(this.holds, input.workspaceId, hold.holder, now);
              // A live hold counts toward the type's limits as a booking does: counted under the host's lock.
              await refuseOverLimits(
                this.bookings,
                { ...hold.toSnapshot(), at: now },
                { limits: eventType.limits, timeZone: policy.timeZone },
              );
              await this.holds.add(hold);
            }),
          );
          return hold;
        },
        slotUnavailable,
      );
      if (placed) return holdView(placed, now);
    }
    throw slotUnavailable();
  }
}

/** Holds keep one host's time: a collective event type (every host at once) is booked directly instead. */
function refuseCollective(eventType: EventType): void {
  if (eventType.isCollective)
    throw DomainError.validation([
      { field: 'eventTypeId', message: 'a collective event type cannot be held: book it directly' },
    ]);
}
