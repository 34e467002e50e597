// Where bookings are kept. The store itself refuses two confirmed bookings that overlap for one host
// (buffers included), or a confirmed booking over a live hold of the host, whatever the number of requests
// and service instances racing.
import type { Booking, BookingStatus } from '@domain/booking/booking.js';
import type { Page, PageRequest } from '../shared/page.js';

export interface BookingFilter {
  start?: Date;
  end?: Date;
  hostId?: string;
  status?: BookingStatus;
}

/** Thrown by add/save when the host's time is already taken by another confirmed booking or a live hold. */
export class SlotTaken extends Error {
  constructor() {
    super('The host already has a confirmed booking overlapping this time.');
    this.name = 'SlotTaken';
  }
}

/**
 * Thrown by add/save when the booking's room is held by another confirmed booking of the workspace at an
 * overlapping time. A SlotTaken, so that a caller that does not pick rooms treats it as a taken time.
 */
export class RoomTaken extends SlotTaken {
  constructor() {
    super();
    this.message = 'The room already has a confirmed booking overlapping this time.';
    this.name = 'RoomTaken';
  }
}

/**
 * Thrown by add when a booking of the workspace already carries this idempotency key: the same request
 * was committed before, by a process that died before answering or by a twin that raced this one.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('A booking was already made by a request with this Idempotency-Key.');
    this.name = 'IdempotencyKeyTaken';
  }
}

/**
 * The database gave up on a transaction because of a concurrent one (a deadlock between racing inserts
 * that the exclusion constraint checks, or a serialization failure): nothing was written; try again.
 */
export class WriteConflict extends Error {
  constructor() {
    super('A concurrent write conflicted; the transaction was rolled back.');
    this.name = 'WriteConflict';
  }
}

/** Runs `work` again (after a short random pause) while it fails with WriteConflict, a few times at most. */
export async function retryOnWriteConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof WriteConflict) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}

export interface DueReminder {
  booking: Booking;
  reminderMinutes: number;
}

export interface ReadOptions {
  /**
   * For a read that decides nothing it writes (showing the booking): it may come from a cache that is current
   * for every read after a write's answer (the adapter's `WorkspaceReadCache`). Never for a read before a save.
   */
  forDisplay?: boolean;
}

export abstract class BookingRepository {
  /**
   * Throws SlotTaken when the host's blocked time overlaps another confirmed booking, or a hold of the host
   * live at the booking's `updatedAt` (checked under the host's write lock, which hold writes take too;
   * HoldRepository), and WriteConflict
   * when a racing transaction made the database abort this one (retry it). `idempotencyKey` (an opaque
   * digest of the request that makes the booking) is recorded with it: IdempotencyKeyTaken when another
   * booking of the workspace has it.
   */
  abstract add(booking: Booking, idempotencyKey?: string | null): Promise<void>;
  /** The booking a request with this idempotency key digest made, while the key is kept. */
  abstract findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<Booking | null>;
  /** Forgets the keys of bookings made at or before `createdUpTo` (their 24 hours are over); returns how many. */
  abstract forgetIdempotencyKeys(createdUpTo: Date): Promise<number>;
  /** Throws SlotTaken and WriteConflict likewise. */
  abstract save(booking: Booking): Promise<void>;
  abstract findById(workspaceId: string, id: string, options?: ReadOptions): Promise<Booking | null>;
  /**
   * Reads a booking to change it, inside a UnitOfWork transaction: the row stays locked until that
   * transaction ends, so a concurrent read-modify-write (cancel, reschedule, calendar sync) waits and then
   * sees this one's write instead of overwriting it. Takes the host's write lock first, the same lock
   * add/save take, so that every writer locks in one order (host, then row) and none deadlocks another.
   */
  abstract findForUpdate(workspaceId: string, id: string): Promise<Booking | null>;
  /**
   * Inside a UnitOfWork transaction: takes the host's write lock (the one add/save and hold writes take)
   * until it ends, then reads what the event type's limits count for the host: its confirmed bookings of the
   * type and its holds of the type live at `heldAt`, whose meeting overlaps `range` (meeting times, by start;
   * a hold's id for a hold). The limits are checked against them before the write, so that racing bookings
   * and holds of one host are counted one after the other.
   */
  abstract lockHostBookings(
    workspaceId: string,
    hostId: string,
    eventTypeId: string,
    range: { start: Date; end: Date },
    heldAt: Date,
  ): Promise<{ id: string; start: Date; end: Date }[]>;
  /** The booking whose manage token has this hash, whatever its workspace (the token is the credential). */
  abstract findByManageTokenHash(hash: string): Promise<Booking | null>;
  abstract findByCalendarEvent(workspaceId: string, hostId: string, eventId: string): Promise<Booking | null>;
  /**
   * `findByCalendarEvent` of several events of the host at once (one read): each event's booking by event id,
   * events without one absent.
   */
  abstract findByCalendarEvents(
    workspaceId: string,
    hostId: string,
    eventIds: readonly string[],
  ): Promise<Map<string, Booking>>;
  /** Ordered by start, then id. */
  abstract list(workspaceId: string, filter: BookingFilter, page: PageRequest): Promise<Page<Booking>>;
  /** When each host was last booked for this event type (hosts never booked are absent). */
  abstract lastBookedAt(
    workspaceId: string,
    eventTypeId: string,
    hostIds: readonly string[],
  ): Promise<Map<string, Date>>;
  /**
   * Up to `limit` bookings whose reminder may be due (as `Booking.reminderDue` says, with their
   * workspace's `reminderMinutes`), soonest first, locked until the surrounding transaction ends; bookings
   * another instance holds are skipped. Call inside `UnitOfWork.transactional`.
   */
  abstract lockDueReminders(now: Date, limit: number): Promise<DueReminder[]>;
}
