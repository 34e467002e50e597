// IANA time-zone maths for availability: instant ↔ wall clock with cached Intl formatters, and a
// per-zone timeline of offset changes so that hot loops do arithmetic instead of calling Intl.
import { DomainError } from '../shared/domain-error.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * A wall-clock time as if it were UTC: `Date.UTC(year, month - 1, day, hour, minute)` of the zone's
 * calendar fields. Whole days since 1970-01-01 are local dates; the remainder is the time of day.
 */
export type WallMs = number;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    } catch {
      throw new DomainError('VALIDATION_FAILED', `Unknown time zone: ${timeZone}`);
    }
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a VALIDATION_FAILED DomainError unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  offsetFormatter(timeZone);
}

/**
 * The zone's offset from UTC at instant `t`, in ms (wall = t + offset). The `longOffset` name
 * ("GMT+10:30", "GMT-03:00", "GMT") is parsed rather than six formatted fields: it is 4× faster.
 */
export function zoneOffsetAt(timeZone: string, t: number): number {
  const text = offsetFormatter(timeZone).format(t);
  const at = text.lastIndexOf('GMT');
  if (at < 0 || at + 3 >= text.length) return 0;
  const sign = text.charCodeAt(at + 3) === 45 /* - */ || text.charCodeAt(at + 3) === 0x2212 ? -1 : 1;
  const hours = Number(text.slice(at + 4, at + 6));
  const minutes = text.length >= at + 9 ? Number(text.slice(at + 7, at + 9)) : 0;
  const seconds = text.length >= at + 12 ? Number(text.slice(at + 10, at + 12)) : 0;
  return sign * (hours * HOUR_MS + minutes * MINUTE_MS + seconds * 1000);
}

/** Local date of a wall time as days since 1970-01-01 (Thursday). */
export function wallDay(wall: WallMs): number {
  return Math.floor(wall / DAY_MS);
}

/** 0 = Monday … 6 = Sunday, for a day number from `wallDay`. */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** "2027-03-28" → day number; throws VALIDATION_FAILED on anything else. */
export function parseLocalDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (new Date(ms).toISOString().slice(0, 10) === date) return ms / DAY_MS;
  }
  throw new DomainError('VALIDATION_FAILED', `Not a local date (YYYY-MM-DD): ${date}`);
}

/** Day number → "2027-03-28". */
export function formatLocalDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "09:30" → 570 minutes after midnight; "24:00" (end of day) → 1440. */
export function parseWallTime(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (match) {
    const minutes = Number(match[1]) * 60 + Number(match[2]);
    if (Number(match[2]) < 60 && minutes <= 1440) return minutes;
  }
  throw new DomainError('VALIDATION_FAILED', `Not a wall time (HH:MM, 00:00-24:00): ${hhmm}`);
}

/**
 * The offsets of one zone over a window of instants, as constant-offset segments: segment i runs
 * from `changes[i - 1]` (or −∞) to `changes[i]` (or +∞) with `offsets[i]`. Exact inside
 * [from, to]; outside it the first and last offsets are assumed, so build windows with margin.
 */
const builtTimelines = new Map<string, ZoneTimeline>();
const MAX_BUILT_TIMELINES = 512;

export class ZoneTimeline {
  private constructor(
    readonly timeZone: string,
    readonly from: number,
    readonly to: number,
    readonly changes: readonly number[],
    readonly offsets: readonly number[],
  ) {}

  /**
   * Samples the offset once a day and bisects to the second where it changes: ~1 µs per Intl call,
   * so a 30-day window costs ~40 µs plus ~20 calls per DST change. No real zone changes offset
   * twice within a day.
   */
  static build(timeZone: string, from: number, to: number): ZoneTimeline {
    const start = Math.floor(from / 1000) * 1000;
    const end = Math.max(start, Math.ceil(to / 1000) * 1000);
    // Immutable and a function of its arguments alone: a request asking for the same window as one before it
    // (a booking page's week, over and over) reuses it.
    const key = `${timeZone} ${start} ${end}`;
    const known = builtTimelines.get(key);
    if (known) return known;
    const built = ZoneTimeline.sample(timeZone, start, end);
    if (builtTimelines.size >= MAX_BUILT_TIMELINES)
      builtTimelines.delete(builtTimelines.keys().next().value!);
    builtTimelines.set(key, built);
    return built;
  }

  private static sample(timeZone: string, start: number, end: number): ZoneTimeline {
    const changes: number[] = [];
    let t0 = start;
    let o0 = zoneOffsetAt(timeZone, t0);
    const offsets: number[] = [o0];
    while (t0 < end) {
      const t1 = Math.min(t0 + DAY_MS, end);
      const o1 = zoneOffsetAt(timeZone, t1);
      if (o1 === o0) {
        t0 = t1;
        continue;
      }
      let lo = t0;
      let hi = t1;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (zoneOffsetAt(timeZone, mid) === o0) lo = mid;
        else hi = mid;
      }
      const oh = hi === t1 ? o1 : zoneOffsetAt(timeZone, hi);
      changes.push(hi);
      offsets.push(oh);
      t0 = hi;
      o0 = oh;
    }
    return new ZoneTimeline(timeZone, start, end, changes, offsets);
  }

  /** Index of the segment holding instant `t`. */
  segmentAt(t: number): number {
    const changes = this.changes;
    let i = 0;
    while (i < changes.length && changes[i] <= t) i++;
    return i;
  }

  offsetAt(t: number): number {
    return this.offsets[this.segmentAt(t)];
  }

  toWall(t: number): WallMs {
    return t + this.offsets[this.segmentAt(t)];
  }

  /**
   * Wall time → instant, Temporal's "compatible": a repeated wall time takes the earlier instant;
   * a wall time inside a gap is read with the offset in force before the gap (it lands after it).
   */
  toInstant(wall: WallMs): number {
    const { changes, offsets } = this;
    // Segments are in time order, so the first that contains its reading is the earliest instant.
    for (let i = 0; i < offsets.length; i++) {
      const t = wall - offsets[i];
      if ((i === 0 || t >= changes[i - 1]) && (i === changes.length || t < changes[i])) return t;
    }
    for (let k = 0; k < changes.length; k++) {
      if (wall - offsets[k] >= changes[k] && wall - offsets[k + 1] < changes[k]) return wall - offsets[k];
    }
    // Not reached: every wall time is read by some segment or falls in a gap.
    return wall - offsets[0];
  }

  /**
   * Appends to `out`, in increasing order, every instant t with from ≤ t < toExclusive whose wall
   * time of day is a whole multiple of `stepMs` after local midnight. Both readings of a repeated
   * wall time count (they lie in different segments); wall times inside a gap do not exist.
   */
  pushAlignedInstants(from: number, toExclusive: number, stepMs: number, out: number[]): void {
    const { changes, offsets } = this;
    for (let i = this.segmentAt(from); i < offsets.length; i++) {
      const segStart = i === 0 ? from : Math.max(from, changes[i - 1]);
      if (segStart >= toExclusive) return;
      const segEnd = i === changes.length ? toExclusive : Math.min(toExclusive, changes[i]);
      const offset = offsets[i];
      let wall = ceilToGrid(segStart + offset, stepMs);
      let t = wall - offset;
      while (t < segEnd) {
        out.push(t);
        // Midnight is always on the grid, even when the step does not divide a day.
        const next = wall + stepMs;
        const midnight = (Math.floor(wall / DAY_MS) + 1) * DAY_MS;
        wall = next > midnight ? midnight : next;
        t = wall - offset;
      }
    }
  }
}

/** The first wall time ≥ `wall` whose time of day is a multiple of `stepMs`. */
export function ceilToGrid(wall: WallMs, stepMs: number): WallMs {
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const aligned = midnight + Math.ceil((wall - midnight) / stepMs) * stepMs;
  return aligned > midnight + DAY_MS ? midnight + DAY_MS : aligned;
}

/** Whether the wall time of day is a whole multiple of `stepMs` after local midnight. */
export function isOnGrid(wall: WallMs, stepMs: number): boolean {
  const timeOfDay = wall - Math.floor(wall / DAY_MS) * DAY_MS;
  return timeOfDay % stepMs === 0;
}

/** Wall time → instant for one-off use, building a small timeline around it. */
export function wallToInstant(timeZone: string, wall: WallMs): number {
  return ZoneTimeline.build(timeZone, wall - 2 * DAY_MS, wall + 2 * DAY_MS).toInstant(wall);
}

/** Instant → wall time for one-off use. */
export function instantToWall(timeZone: string, t: number): WallMs {
  return t + zoneOffsetAt(timeZone, t);
}
