// The slot engine: a pure function from hosts' hours, overrides and busy time plus an event's
// policy to the bookable starts. Times are epoch milliseconds; the semantics are slots-scenario.md's,
// and the event's booking limits (booking-limits.ts): with `event.limits`, a host offers a start only
// when fewer than `perDay` of the host's `limitedBookings` start on the start's local day (host's zone),
// fewer than `perWeek` in its local week (Monday 00:00 to Sunday 24:00), and, with a gap g > 0, no such
// booking b has b.start − g < start + duration and start < b.end + g. Busy time and buffers apply as well.
// Hosts combine by `query.hostsNeeded`: with 'any' (single, round robin) a start is offered when at least one
// host offers it; with 'all' (collective) only when every host offers it, each under its own hours,
// overrides, buffers, notice, horizon and limits — the intersection of the hosts' own starts, so a slot of a
// collective query always names every host.
import { DomainError } from '../shared/domain-error.js';
import {
  LIMIT_REACH_MS,
  LimitCheck,
  hasLimits,
  type BookingLimits,
  type LimitedBooking,
} from './booking-limits.js';
import {
  DAY_MS,
  MINUTE_MS,
  ZoneTimeline,
  assertTimeZone,
  parseLocalDate,
  weekdayOfDay,
} from './zoned-time.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Local wall times as minutes after midnight, [start, end): 0 ≤ start < end ≤ 1440 ("24:00"). */
export type WallInterval = readonly [startMinute: number, endMinute: number];

/** A missing or empty day has no hours. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly WallInterval[]>>>;

/** Local date "YYYY-MM-DD" → that day's intervals, replacing the weekly ones (`[]` = day off). */
export type DateOverrides =
  ReadonlyMap<string, readonly WallInterval[]> | Readonly<Record<string, readonly WallInterval[]>>;

/** Free/busy statuses as Microsoft Graph names them. */
export type BusyStatus = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/**
 * Time that blocks a host, half-open [start, end) in epoch ms. Every item given blocks: filtering
 * by status (the event type's `busyStatuses`) is the caller's job. The other fields only feed the
 * explanation.
 */
export interface BusyInterval {
  readonly start: number;
  readonly end: number;
  readonly status?: BusyStatus;
  /** Which calendar the item came from (name or id), for explanations. */
  readonly calendar?: string;
  /** `booking` for an existing kailenty booking, else a calendar item. */
  readonly source?: 'calendar' | 'booking';
  readonly id?: string;
}

/** The numbers each host's availability policy may set for itself; unset ones come from the event. */
export interface HostPolicy {
  readonly bufferBeforeMinutes?: number;
  readonly bufferAfterMinutes?: number;
  readonly minimumNoticeMinutes?: number;
  /** The horizon: starts must be earlier than now + maxDaysAhead × 24 h. `null` = none. */
  readonly maxDaysAhead?: number | null;
}

export interface EventPolicy extends HostPolicy {
  readonly durationMinutes: number;
  /** Defaults to `durationMinutes`. */
  readonly slotIntervalMinutes?: number;
  /** Counted per host against its `limitedBookings`; absent: no limit. */
  readonly limits?: BookingLimits;
}

export interface HostAvailability {
  readonly hostId: string;
  /** IANA zone in which weekly hours and overrides are read. */
  readonly timeZone: string;
  readonly weekly: WeeklyHours;
  readonly overrides?: DateOverrides;
  readonly busy: readonly BusyInterval[];
  readonly policy?: HostPolicy;
  /**
   * The host's confirmed bookings of this event type (meeting times), which `event.limits` count: all of
   * those starting within LIMIT_REACH_MS of the range. They block as busy time only if also in `busy`.
   */
  readonly limitedBookings?: readonly LimitedBooking[];
}

export interface SlotQuery {
  readonly now: number;
  /** Slots lie inside it: range.start ≤ slot.start and slot.end ≤ range.end. */
  readonly range: { readonly start: number; readonly end: number };
  readonly event: EventPolicy;
  /** One host for `single`; a start is offered when any host offers it (round robin), or every one (collective). */
  readonly hosts: readonly HostAvailability[];
  /** 'any' (the default): one offering host is enough; 'all': every host must offer the start. */
  readonly hostsNeeded?: HostsNeeded;
}

export type HostsNeeded = 'any' | 'all';

export interface Slot {
  readonly start: number;
  readonly end: number;
  /** The hosts that offer this start, in the order of `query.hosts`. */
  readonly hostIds: string[];
}

/** Everything about one host's policy as ms, with the event's defaults applied. */
export interface EffectivePolicy {
  readonly durationMs: number;
  readonly slotIntervalMs: number;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  /** Earliest allowed start: max(range.start, now + notice). */
  readonly earliestStart: number;
  /** Latest allowed start, inclusive: range.end − duration. */
  readonly latestStart: number;
  /** Starts must be strictly earlier (now + horizon); +∞ without a horizon. */
  readonly horizonEnd: number;
  readonly noticeEnd: number;
}

export function effectivePolicy(query: SlotQuery, host: HostAvailability): EffectivePolicy {
  const { event, now, range } = query;
  const policy = host.policy ?? {};
  const durationMs = minutes(event.durationMinutes, 'durationMinutes', true);
  const slotIntervalMs = minutes(
    event.slotIntervalMinutes ?? event.durationMinutes,
    'slotIntervalMinutes',
    true,
  );
  const notice = policy.minimumNoticeMinutes ?? event.minimumNoticeMinutes ?? 0;
  const days = policy.maxDaysAhead !== undefined ? policy.maxDaysAhead : event.maxDaysAhead;
  const noticeEnd = now + minutes(notice, 'minimumNoticeMinutes', false);
  return {
    durationMs,
    slotIntervalMs,
    bufferBeforeMs: minutes(
      policy.bufferBeforeMinutes ?? event.bufferBeforeMinutes ?? 0,
      'bufferBefore',
      false,
    ),
    bufferAfterMs: minutes(policy.bufferAfterMinutes ?? event.bufferAfterMinutes ?? 0, 'bufferAfter', false),
    earliestStart: Math.max(range.start, noticeEnd),
    latestStart: range.end - durationMs,
    horizonEnd: days === undefined || days === null ? Infinity : now + days * DAY_MS,
    noticeEnd,
  };
}

function minutes(value: number, name: string, positive: boolean): number {
  if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${name} must be a ${positive ? 'positive' : 'non-negative'} number`,
    );
  }
  return value * MINUTE_MS;
}

/**
 * A host's hours as a lookup by local day number: overrides parsed once, weekly by weekday.
 */
export class HostHours {
  private readonly overrides = new Map<number, readonly WallInterval[]>();
  private readonly weekly: (readonly WallInterval[])[];

  constructor(host: HostAvailability) {
    this.weekly = [0, 1, 2, 3, 4, 5, 6].map((i) => host.weekly[WEEKDAYS[i]] ?? []);
    const overrides = host.overrides;
    if (overrides !== undefined) {
      const entries = overrides instanceof Map ? overrides.entries() : Object.entries(overrides);
      for (const [date, intervals] of entries) this.overrides.set(parseLocalDate(date), intervals);
    }
  }

  /** The local day's intervals: its override if it has one, else the weekday's. */
  intervalsOn(day: number): readonly WallInterval[] {
    return this.overrides.get(day) ?? this.weekly[weekdayOfDay(day)];
  }

  hasOverride(day: number): boolean {
    return this.overrides.has(day);
  }
}

/**
 * The host's joined working intervals as instants, sorted, for the local days from `fromDay` to
 * `toDay`: flat [start0, end0, start1, end1, …]. Intervals that wall-time maths empties (one that
 * starts in a gap and ends just after it) are dropped; overlapping or touching ones join.
 */
export function workingIntervals(
  hours: HostHours,
  timeline: ZoneTimeline,
  fromDay: number,
  toDay: number,
): number[] {
  const raw: number[] = [];
  let sorted = true;
  for (let day = fromDay; day <= toDay; day++) {
    const intervals = hours.intervalsOn(day);
    const midnight = day * DAY_MS;
    for (let i = 0; i < intervals.length; i++) {
      const start = timeline.toInstant(midnight + intervals[i][0] * MINUTE_MS);
      const end = timeline.toInstant(midnight + intervals[i][1] * MINUTE_MS);
      if (end <= start) continue;
      if (raw.length > 0 && start < raw[raw.length - 2]) sorted = false;
      raw.push(start, end);
    }
  }
  if (!sorted) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
    pairs.sort((a, b) => a[0] - b[0]);
    raw.length = 0;
    for (const [s, e] of pairs) raw.push(s, e);
  }
  const joined: number[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const n = joined.length;
    if (n > 0 && raw[i] <= joined[n - 1]) {
      if (raw[i + 1] > joined[n - 1]) joined[n - 1] = raw[i + 1];
    } else {
      joined.push(raw[i], raw[i + 1]);
    }
  }
  return joined;
}

/** Per-call cache: hosts of a pool share a handful of zones. */
class TimelineCache {
  private readonly byZone = new Map<string, ZoneTimeline>();

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  get(timeZone: string): ZoneTimeline {
    let timeline = this.byZone.get(timeZone);
    if (timeline === undefined) {
      assertTimeZone(timeZone);
      timeline = ZoneTimeline.build(timeZone, this.from, this.to);
      this.byZone.set(timeZone, timeline);
    }
    return timeline;
  }
}

/** Local days (±1) whose hours can matter for starts in [earliest, latest]. */
function dayWindow(timeline: ZoneTimeline, earliest: number, latestEnd: number): [number, number] {
  return [
    Math.floor(timeline.toWall(earliest) / DAY_MS) - 1,
    Math.floor(timeline.toWall(latestEnd) / DAY_MS) + 1,
  ];
}

/**
 * The starts one host offers, sorted ascending, appended to `out`. One pass: candidates come out
 * of each working interval in order, and a single pointer walks the busy items sorted by start,
 * keeping the furthest end seen, so each start costs O(1) amortised.
 */
export function pushHostStarts(
  query: SlotQuery,
  host: HostAvailability,
  timeline: ZoneTimeline,
  out: number[],
): void {
  const p = effectivePolicy(query, host);
  const limits = query.event.limits;
  const check = hasLimits(limits) ? new LimitCheck(limits, timeline, host.limitedBookings ?? []) : null;
  const lastStart = Math.min(p.latestStart, p.horizonEnd);
  if (p.earliestStart > lastStart) return;
  const [fromDay, toDay] = dayWindow(timeline, p.earliestStart, lastStart + p.durationMs);
  const working = workingIntervals(new HostHours(host), timeline, fromDay, toDay);

  // Start s is blocked by busy [b0, b1) iff b0 − duration − after < s < b1 + before.
  const busy = host.busy;
  const n = busy.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (busy[i].end > busy[i].start) order.push(i);
  order.sort((a, b) => busy[a].start - busy[b].start);
  const m = order.length;
  const lo = new Float64Array(m);
  const hi = new Float64Array(m);
  const lead = p.durationMs + p.bufferAfterMs;
  for (let i = 0; i < m; i++) {
    lo[i] = busy[order[i]].start - lead;
    hi[i] = busy[order[i]].end + p.bufferBeforeMs;
  }

  const candidates: number[] = [];
  let pointer = 0;
  let reach = -Infinity;
  for (let w = 0; w < working.length; w += 2) {
    const from = Math.max(working[w], p.earliestStart);
    // Candidates are whole ms, so "s ≤ x" is "s < x + 1"; the horizon is strict.
    const to = Math.min(working[w + 1] - p.durationMs + 1, p.latestStart + 1, p.horizonEnd);
    if (from >= to) continue;
    candidates.length = 0;
    timeline.pushAlignedInstants(from, to, p.slotIntervalMs, candidates);
    for (let c = 0; c < candidates.length; c++) {
      const s = candidates[c];
      while (pointer < m && lo[pointer] < s) {
        if (hi[pointer] > reach) reach = hi[pointer];
        pointer++;
      }
      if (reach <= s && (check === null || check.allows(s, s + p.durationMs))) out.push(s);
    }
  }
}

/** The margin of the zone window around the range: offsets reach ±14 h and hours span a day. */
const ZONE_MARGIN_MS = 3 * DAY_MS;

/**
 * Every start offered by at least one host ('any'), or by every host ('all'), sorted, with the hosts that
 * offer it.
 */
export function computeSlots(query: SlotQuery): Slot[] {
  const { hosts, range } = query;
  const durationMs = minutes(query.event.durationMinutes, 'durationMinutes', true);
  // Limits count bookings of the days and weeks around the range: their local days must be exact too.
  const margin = ZONE_MARGIN_MS + (hasLimits(query.event.limits) ? LIMIT_REACH_MS : 0);
  const timelines = new TimelineCache(range.start - margin, range.end + margin);
  if (hosts.length === 1) {
    const starts: number[] = [];
    pushHostStarts(query, hosts[0], timelines.get(hosts[0].timeZone), starts);
    const hostId = hosts[0].hostId;
    return starts.map((start) => ({ start, end: start + durationMs, hostIds: [hostId] }));
  }
  if (query.hostsNeeded === 'all') return commonSlots(query, timelines, durationMs);

  // Host h's starts are starts[bounds[h]] .. starts[bounds[h + 1] - 1].
  const starts: number[] = [];
  const bounds = new Int32Array(hosts.length + 1);
  for (let h = 0; h < hosts.length; h++) {
    pushHostStarts(query, hosts[h], timelines.get(hosts[h].timeZone), starts);
    bounds[h + 1] = starts.length;
  }
  return groupByStart(starts, bounds, hosts, durationMs, range.start);
}

/**
 * The starts every host offers: the first host's starts, narrowed by each next host's in one merge of two
 * sorted lists; once nothing is left the other hosts are not computed at all.
 */
function commonSlots(query: SlotQuery, timelines: TimelineCache, durationMs: number): Slot[] {
  const { hosts } = query;
  let common: number[] = [];
  pushHostStarts(query, hosts[0], timelines.get(hosts[0].timeZone), common);
  const next: number[] = [];
  for (let h = 1; h < hosts.length && common.length > 0; h++) {
    next.length = 0;
    pushHostStarts(query, hosts[h], timelines.get(hosts[h].timeZone), next);
    const kept: number[] = [];
    for (let i = 0, j = 0; i < common.length && j < next.length;) {
      if (common[i] < next[j]) i++;
      else if (common[i] > next[j]) j++;
      else {
        kept.push(common[i]);
        i++;
        j++;
      }
    }
    common = kept;
  }
  const hostIds = hosts.map((h) => h.hostId);
  return common.map((start) => ({ start, end: start + durationMs, hostIds: [...hostIds] }));
}

/**
 * Groups (start, host) pairs by start. Starts are almost always whole minutes after the range
 * start, so a counting sort over the range's minutes does it in linear time; otherwise sort.
 */
function groupByStart(
  starts: number[],
  bounds: Int32Array,
  hosts: readonly HostAvailability[],
  durationMs: number,
  base: number,
): Slot[] {
  const total = starts.length;
  const keys = new Int32Array(total);
  let maxKey = 0;
  let minuteAligned = true;
  for (let i = 0; i < total; i++) {
    const key = (starts[i] - base) / MINUTE_MS;
    if (!Number.isInteger(key) || key < 0 || key > MAX_MINUTE_KEYS) {
      minuteAligned = false;
      break;
    }
    keys[i] = key;
    if (key > maxKey) maxKey = key;
  }
  const slots: Slot[] = [];
  if (minuteAligned) {
    const firstOf = new Int32Array(maxKey + 2);
    for (let i = 0; i < total; i++) firstOf[keys[i] + 1]++;
    for (let k = 1; k < firstOf.length; k++) firstOf[k] += firstOf[k - 1];
    const fill = firstOf.slice(0, maxKey + 1);
    const byKey = new Int32Array(total);
    // Hosts are visited in order, so each bucket lists its hosts in query order.
    for (let h = 0; h < hosts.length; h++) {
      for (let i = bounds[h]; i < bounds[h + 1]; i++) byKey[fill[keys[i]]++] = h;
    }
    for (let k = 0; k <= maxKey; k++) {
      const first = firstOf[k];
      const last = firstOf[k + 1];
      if (first === last) continue;
      const hostIds: string[] = new Array(last - first);
      for (let j = first; j < last; j++) hostIds[j - first] = hosts[byKey[j]].hostId;
      const start = base + k * MINUTE_MS;
      slots.push({ start, end: start + durationMs, hostIds });
    }
    return slots;
  }
  const owners = new Int32Array(total);
  for (let h = 0; h < hosts.length; h++) owners.fill(h, bounds[h], bounds[h + 1]);
  const index = Array.from({ length: total }, (_, i) => i);
  index.sort((a, b) => starts[a] - starts[b] || owners[a] - owners[b]);
  for (const i of index) {
    const last = slots[slots.length - 1];
    if (last !== undefined && last.start === starts[i]) last.hostIds.push(hosts[owners[i]].hostId);
    else slots.push({ start: starts[i], end: starts[i] + durationMs, hostIds: [hosts[owners[i]].hostId] });
  }
  return slots;
}

/** Beyond ~8 years of minutes the counting sort's table would be wasteful: sort instead. */
const MAX_MINUTE_KEYS = 4 * 1024 * 1024;
