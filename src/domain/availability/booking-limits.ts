// An event type's booking limits for one host: at most so many of its bookings per local day and per local
// week (Monday to Sunday, in the host's zone), and a minimum gap between two of them. The slot engine, the
// explainer and the booking's check under the host's lock all ask this one class.
import { DAY_MS, MINUTE_MS, ZoneTimeline, assertTimeZone } from './zoned-time.js';

export interface BookingLimits {
  /** At most this many bookings of the event type start on one local day of the host. */
  readonly perDay?: number;
  /** At most this many start in one local week of the host, Monday 00:00 to Sunday 24:00. */
  readonly perWeek?: number;
  /** A start is refused when its slot would come closer than this to one of the type's bookings. */
  readonly minimumGapMinutes?: number;
}

/** One of the event type's confirmed bookings of the host: its meeting time, without buffers. */
export interface LimitedBooking {
  readonly start: number;
  readonly end: number;
  readonly id?: string;
}

export type BrokenLimit =
  | { readonly limit: 'perDay' | 'perWeek'; readonly max: number; readonly count: number }
  | { readonly limit: 'minimumGap'; readonly minutes: number; readonly booking: LimitedBooking };

/**
 * How far around the starts asked about the type's bookings matter: a week and the widest zone offsets
 * (a local week can start 7 days and 14 hours before a start), and the largest gap.
 */
export const LIMIT_REACH_MS = 9 * DAY_MS;

export function hasLimits(limits: BookingLimits | undefined): limits is BookingLimits {
  return (
    limits !== undefined &&
    (limits.perDay !== undefined || limits.perWeek !== undefined || (limits.minimumGapMinutes ?? 0) > 0)
  );
}

/** Monday-based week number of a local day number (day 0, 1970-01-01, was a Thursday). */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

export class LimitCheck {
  private readonly perDay = new Map<number, number>();
  private readonly perWeek = new Map<number, number>();
  private readonly gapMs: number;

  /** `timeline` must be exact from LIMIT_REACH_MS before the earliest start asked about to after the latest. */
  constructor(
    private readonly limits: BookingLimits,
    private readonly timeline: ZoneTimeline,
    private readonly bookings: readonly LimitedBooking[],
  ) {
    this.gapMs = (limits.minimumGapMinutes ?? 0) * MINUTE_MS;
    for (const b of bookings) {
      const day = this.dayOf(b.start);
      this.perDay.set(day, (this.perDay.get(day) ?? 0) + 1);
      const week = weekOfDay(day);
      this.perWeek.set(week, (this.perWeek.get(week) ?? 0) + 1);
    }
  }

  /** For one slot: a timeline of the host's zone around it. */
  static around(
    limits: BookingLimits,
    timeZone: string,
    slot: { start: number; end: number },
    bookings: readonly LimitedBooking[],
  ): LimitCheck {
    assertTimeZone(timeZone);
    const timeline = ZoneTimeline.build(
      timeZone,
      slot.start - LIMIT_REACH_MS - DAY_MS,
      slot.end + LIMIT_REACH_MS + DAY_MS,
    );
    return new LimitCheck(limits, timeline, bookings);
  }

  /** Whether a booking of [start, end) would keep every limit. */
  allows(start: number, end: number): boolean {
    const { perDay, perWeek } = this.limits;
    if (perDay !== undefined || perWeek !== undefined) {
      const day = this.dayOf(start);
      if (perDay !== undefined && (this.perDay.get(day) ?? 0) >= perDay) return false;
      if (perWeek !== undefined && (this.perWeek.get(weekOfDay(day)) ?? 0) >= perWeek) return false;
    }
    if (this.gapMs > 0) {
      for (const b of this.bookings) if (this.tooClose(b, start, end)) return false;
    }
    return true;
  }

  /** Every limit a booking of [start, end) would break (for explanations). */
  broken(start: number, end: number): BrokenLimit[] {
    const found: BrokenLimit[] = [];
    const { perDay, perWeek } = this.limits;
    const day = this.dayOf(start);
    const onDay = this.perDay.get(day) ?? 0;
    const inWeek = this.perWeek.get(weekOfDay(day)) ?? 0;
    if (perDay !== undefined && onDay >= perDay) found.push({ limit: 'perDay', max: perDay, count: onDay });
    if (perWeek !== undefined && inWeek >= perWeek)
      found.push({ limit: 'perWeek', max: perWeek, count: inWeek });
    if (this.gapMs > 0) {
      for (const b of this.bookings) {
        if (this.tooClose(b, start, end))
          found.push({ limit: 'minimumGap', minutes: this.gapMs / MINUTE_MS, booking: b });
      }
    }
    return found;
  }

  /** Closer than the gap: neither end + gap ≤ b.start nor b.end + gap ≤ start. */
  private tooClose(b: LimitedBooking, start: number, end: number): boolean {
    return b.start - this.gapMs < end && start < b.end + this.gapMs;
  }

  private dayOf(t: number): number {
    return Math.floor(this.timeline.toWall(t) / DAY_MS);
  }
}
