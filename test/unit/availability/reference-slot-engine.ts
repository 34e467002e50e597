// A deliberately simple slot engine to check the real one against: it walks every UTC minute, asks
// Intl for the wall clock at each, marks working minutes, and scans all busy items for each start, and
// all of the type's bookings for each limit (local day and Monday-based week read from Intl too).
import type { HostAvailability, Slot, SlotQuery, WallInterval } from '@domain/availability/slot-engine.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
const wallCaches = new Map<string, Map<number, number>>();

/** Wall clock at instant t, as ms since 1970-01-01 00:00 of the zone's calendar, straight from Intl. */
export function referenceWall(timeZone: string, t: number): number {
  let cache = wallCaches.get(timeZone);
  if (cache === undefined) {
    cache = new Map();
    wallCaches.set(timeZone, cache);
  }
  const cached = cache.get(t);
  if (cached !== undefined) return cached;
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const f: Record<string, number> = {};
  for (const part of formatter.formatToParts(t)) f[part.type] = Number(part.value);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  if (cache.size > 1_000_000) cache.clear();
  cache.set(t, wall);
  return wall;
}

interface MinuteClock {
  first: number;
  walls: number[];
}

/** The wall clock of every minute of [from, to). */
function minuteClock(timeZone: string, from: number, to: number): MinuteClock {
  const walls: number[] = [];
  for (let t = from; t < to; t += MINUTE) walls.push(referenceWall(timeZone, t));
  return { first: from, walls };
}

/**
 * The instant of a wall time: the earliest minute showing it; if no minute shows it (a gap), the
 * wall time read with the offset of the last minute before the gap.
 */
function wallToInstant(clock: MinuteClock, wall: number): number {
  const { walls, first } = clock;
  // No zone is ahead of UTC by more than 14 h, so earlier minutes cannot show this wall time.
  const from = Math.max(0, Math.floor((wall - 15 * 60 * MINUTE - first) / MINUTE));
  for (let i = from; i < walls.length; i++) if (walls[i] === wall) return first + i * MINUTE;
  for (let i = Math.max(1, from); i < walls.length; i++) {
    if (walls[i - 1] < wall && walls[i] > wall) {
      const offsetBefore = walls[i - 1] - (first + (i - 1) * MINUTE);
      return wall - offsetBefore;
    }
  }
  throw new Error(`wall time ${new Date(wall).toISOString()} outside the reference window`);
}

function overridesOf(host: HostAvailability): Map<string, readonly WallInterval[]> {
  const o = host.overrides;
  if (o === undefined) return new Map();
  return o instanceof Map ? new Map(o) : new Map(Object.entries(o));
}

function hostStarts(query: SlotQuery, host: HostAvailability): number[] {
  const { event, now, range } = query;
  const duration = event.durationMinutes * MINUTE;
  const interval = (event.slotIntervalMinutes ?? event.durationMinutes) * MINUTE;
  const policy = host.policy ?? {};
  const before = (policy.bufferBeforeMinutes ?? event.bufferBeforeMinutes ?? 0) * MINUTE;
  const after = (policy.bufferAfterMinutes ?? event.bufferAfterMinutes ?? 0) * MINUTE;
  const notice = (policy.minimumNoticeMinutes ?? event.minimumNoticeMinutes ?? 0) * MINUTE;
  const days = policy.maxDaysAhead !== undefined ? policy.maxDaysAhead : event.maxDaysAhead;
  const horizonEnd = days === undefined || days === null ? Infinity : now + days * DAY;

  const from = range.start - 2 * DAY;
  const to = range.end + 2 * DAY;
  const clock = minuteClock(host.timeZone, from, to);
  const overrides = overridesOf(host);

  // Minute i of the window is working when some interval of some local date covers it.
  const working = new Array<boolean>(clock.walls.length).fill(false);
  const firstDay = Math.floor(clock.walls[0] / DAY) + 1;
  const lastDay = Math.floor(clock.walls[clock.walls.length - 1] / DAY) - 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const date = new Date(day * DAY).toISOString().slice(0, 10);
    const weekday = WEEKDAYS[(new Date(day * DAY).getUTCDay() + 6) % 7];
    const intervals = overrides.get(date) ?? host.weekly[weekday] ?? [];
    for (const [a, b] of intervals) {
      const start = wallToInstant(clock, day * DAY + a * MINUTE);
      const end = wallToInstant(clock, day * DAY + b * MINUTE);
      for (let t = start; t < end; t += MINUTE) working[(t - from) / MINUTE] = true;
    }
  }

  const starts: number[] = [];
  for (let s = range.start; s + duration <= range.end; s += MINUTE) {
    const i = (s - from) / MINUTE;
    const timeOfDay = clock.walls[i] - Math.floor(clock.walls[i] / DAY) * DAY;
    if (timeOfDay % interval !== 0) continue;
    if (s < now + notice || s >= horizonEnd) continue;
    let inside = true;
    for (let t = s; t < s + duration; t += MINUTE) if (!working[(t - from) / MINUTE]) inside = false;
    if (!inside) continue;
    const blocked = host.busy.some(
      (b) => b.start < b.end && b.start < s + duration + after && b.end > s - before,
    );
    if (!blocked && withinLimits(query, host, s, s + duration)) starts.push(s);
  }
  return starts;
}

/** The host's local date of instant t, as days since 1970-01-01. */
function localDay(timeZone: string, t: number): number {
  return Math.floor(referenceWall(timeZone, t) / DAY);
}

/** Weeks from Monday: 1970-01-05 (day 4) was a Monday. */
function localWeek(timeZone: string, t: number): number {
  return Math.floor((localDay(timeZone, t) - 4) / 7);
}

function withinLimits(query: SlotQuery, host: HostAvailability, start: number, end: number): boolean {
  const limits = query.event.limits;
  if (!limits) return true;
  const bookings = host.limitedBookings ?? [];
  const zone = host.timeZone;
  if (limits.perDay !== undefined) {
    const day = localDay(zone, start);
    if (bookings.filter((b) => localDay(zone, b.start) === day).length >= limits.perDay) return false;
  }
  if (limits.perWeek !== undefined) {
    const week = localWeek(zone, start);
    if (bookings.filter((b) => localWeek(zone, b.start) === week).length >= limits.perWeek) return false;
  }
  const gap = (limits.minimumGapMinutes ?? 0) * MINUTE;
  if (gap > 0 && bookings.some((b) => !(end + gap <= b.start || b.end + gap <= start))) return false;
  return true;
}

/**
 * Same contract as computeSlots, for queries whose times are whole minutes and whose zones change
 * offset by whole minutes.
 */
export function referenceSlots(query: SlotQuery): Slot[] {
  const byStart = new Map<number, string[]>();
  for (const host of query.hosts) {
    for (const s of hostStarts(query, host)) {
      const ids = byStart.get(s) ?? [];
      ids.push(host.hostId);
      byStart.set(s, ids);
    }
  }
  const duration = query.event.durationMinutes * MINUTE;
  // Collective: only the starts that every host offers.
  const needed = query.hostsNeeded === 'all' ? query.hosts.length : 1;
  return [...byStart.entries()]
    .filter(([, hostIds]) => hostIds.length >= needed)
    .sort((a, b) => a[0] - b[0])
    .map(([start, hostIds]) => ({ start, end: start + duration, hostIds }));
}
