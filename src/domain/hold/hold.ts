// A hold: a start of an event type kept for a guest for a few minutes (at most 15) while they fill in the
// booking form. While it is live it takes its host's time as a booking would (buffers included); once it
// expires, is released or becomes a booking, it takes nothing. The store refuses a hold or a booking that
// overlaps a live hold of the host, under the same lock as bookings. A hold of an event type with rooms keeps
// the room it found free as well (its meeting time, no buffers, as a booking's room): the booking it becomes
// takes that room, and a hold that expires or is released gives it back.
import { blockedTime, type BookingRoom } from '../booking/booking.js';
import { DomainError } from '../shared/domain-error.js';
import { Checks } from '../shared/validation.js';

/** As stored: `held` until released or booked; a held hold whose expiry passed is expired (`statusAt`). */
export type HoldState = 'held' | 'released' | 'booked';
/** As answered: the stored state, or `expired` for a held hold past its expiry. */
export type HoldStatus = HoldState | 'expired';

export const HOLD_MIN_SECONDS = 1;
export const HOLD_MAX_SECONDS = 900;
export const HOLD_DEFAULT_SECONDS = 300;
/**
 * How long a hold is kept once expired (whatever its state) before the cleanup job deletes it: meanwhile a
 * read or a booking of it says HOLD_EXPIRED rather than "not found".
 */
export const HOLD_KEPT_AFTER_EXPIRY_MS = 3600_000;

export interface HoldSnapshot {
  id: string;
  workspaceId: string;
  eventTypeId: string;
  hostId: string;
  state: HoldState;
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** The host's zone the start was checked in: the booking it becomes counts the event type's limits in it. */
  timeZone: string;
  expiresAt: Date;
  /** The room it keeps (an event type with rooms); null or absent for none. */
  room?: BookingRoom | null;
  /** The booking it became (state `booked`); null otherwise. */
  bookingId: string | null;
  /**
   * Who placed it, when a booking page did: the digest of the page session (at most one live hold each);
   * null for a hold placed through the API.
   */
  holder: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const holdExpired = () =>
  new DomainError(
    'HOLD_EXPIRED',
    'This hold has expired, was released or has already been booked. Please choose a slot again.',
  );

export class Hold {
  private constructor(private state: HoldSnapshot) {}

  /** Refuses an expiry outside 1..900 seconds (whole seconds), naming the field. */
  static checkExpiry(expiresInSeconds: number): void {
    new Checks()
      .require(
        Number.isInteger(expiresInSeconds) &&
          expiresInSeconds >= HOLD_MIN_SECONDS &&
          expiresInSeconds <= HOLD_MAX_SECONDS,
        'expiresInSeconds',
        `must be a whole number of seconds from ${HOLD_MIN_SECONDS} to ${HOLD_MAX_SECONDS}`,
      )
      .throwIfAny();
  }

  static place(input: {
    id: string;
    workspaceId: string;
    eventTypeId: string;
    hostId: string;
    start: Date;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    timeZone: string;
    expiresInSeconds: number;
    now: Date;
    holder?: string | null;
    /** The first room of the event type's pool free for the meeting (default: none). */
    room?: BookingRoom | null;
  }): Hold {
    Hold.checkExpiry(input.expiresInSeconds);
    return new Hold({
      id: input.id,
      workspaceId: input.workspaceId,
      eventTypeId: input.eventTypeId,
      hostId: input.hostId,
      state: 'held',
      start: input.start,
      end: new Date(input.start.getTime() + input.durationMinutes * 60_000),
      bufferBeforeMinutes: input.bufferBeforeMinutes,
      bufferAfterMinutes: input.bufferAfterMinutes,
      timeZone: input.timeZone,
      expiresAt: new Date(input.now.getTime() + input.expiresInSeconds * 1000),
      room: input.room ? { ...input.room } : null,
      bookingId: null,
      holder: input.holder ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static fromSnapshot(snapshot: HoldSnapshot): Hold {
    return new Hold({ ...snapshot, room: snapshot.room ? { ...snapshot.room } : null });
  }

  toSnapshot(): HoldSnapshot {
    return { ...this.state, room: this.state.room ? { ...this.state.room } : null };
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get eventTypeId(): string {
    return this.state.eventTypeId;
  }
  get hostId(): string {
    return this.state.hostId;
  }
  get start(): Date {
    return this.state.start;
  }
  get end(): Date {
    return this.state.end;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get bookingId(): string | null {
    return this.state.bookingId;
  }
  get room(): BookingRoom | null {
    return this.state.room ?? null;
  }
  get holder(): string | null {
    return this.state.holder;
  }
  get durationMinutes(): number {
    return (this.state.end.getTime() - this.state.start.getTime()) / 60_000;
  }
  get bufferBeforeMinutes(): number {
    return this.state.bufferBeforeMinutes;
  }
  get bufferAfterMinutes(): number {
    return this.state.bufferAfterMinutes;
  }
  get timeZone(): string {
    return this.state.timeZone;
  }

  /** The host's time the hold takes while live, buffers included: [start − before, end + after). */
  get blocked(): { start: Date; end: Date } {
    return blockedTime(this.state);
  }

  /** Held and not expired at `now` (the expiry instant itself is past): only then does it take time. */
  isLiveAt(now: Date): boolean {
    return this.state.state === 'held' && now.getTime() < this.state.expiresAt.getTime();
  }

  statusAt(now: Date): HoldStatus {
    if (this.state.state === 'held' && !this.isLiveAt(now)) return 'expired';
    return this.state.state;
  }

  /**
   * Gives the time back. Releasing a released or expired hold changes nothing (the time is free already);
   * a hold that became a booking stays booked: the booking is cancelled on its own.
   */
  release(now: Date): void {
    if (this.state.state === 'booked') throw holdExpired();
    if (this.state.state === 'released') return;
    this.state = { ...this.state, state: 'released', updatedAt: now };
  }

  /** The hold becomes booking `bookingId`, which takes its time: refused (HOLD_EXPIRED) unless live. */
  convert(bookingId: string, now: Date): void {
    if (!this.isLiveAt(now)) throw holdExpired();
    this.state = { ...this.state, state: 'booked', bookingId, updatedAt: now };
  }
}
