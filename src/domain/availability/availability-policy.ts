// A member's availability policy: weekly hours and date overrides in their own zone, buffers, notice,
// horizon, which free/busy statuses block them and which room or shared mailboxes also block them.
import { DomainError, type FieldError } from '../shared/domain-error.js';
import { isEmail } from '../shared/validation.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '../shared/time-zone.js';
import {
  WEEKDAYS,
  type BusyStatus,
  type HostAvailability,
  type BusyInterval,
  type Weekday,
} from './slot-engine.js';
import { assertTimeZone, parseLocalDate, parseWallTime } from './zoned-time.js';
import type { WorkingHours } from './working-hours.js';

/** The statuses a policy may list; `unknown` is not among them because it always blocks. */
export const CONFIGURABLE_BUSY_STATUSES = ['busy', 'oof', 'tentative', 'free', 'workingElsewhere'] as const;
export type ConfigurableBusyStatus = (typeof CONFIGURABLE_BUSY_STATUSES)[number];
export const DEFAULT_BUSY_STATUSES: readonly ConfigurableBusyStatus[] = ['busy', 'oof', 'tentative'];
/** What blocks on a room or shared mailbox, whatever the policy says: only `free` and `workingElsewhere` do not. */
const EXTRA_CALENDAR_BLOCKING: readonly BusyStatus[] = ['busy', 'oof', 'tentative', 'unknown'];

export const MAX_EXTRA_CALENDARS = 50;
export const MAX_INTERVALS_PER_DAY = 24;
export const MAX_OVERRIDES = 400;
export const MAX_BUFFER_MINUTES = 720;
/** One year. */
export const MAX_NOTICE_MINUTES = 525_600;
/** Two years. */
export const MAX_DAYS_AHEAD = 730;

export interface WallTimeInterval {
  /** "HH:MM", local. */
  start: string;
  /** "HH:MM", local; "24:00" ends the day. */
  end: string;
}

export interface WeeklyEntry {
  day: Weekday;
  intervals: WallTimeInterval[];
}

export interface DateOverride {
  /** Local date "YYYY-MM-DD"; its intervals replace the weekly ones (`[]` = day off). */
  date: string;
  intervals: WallTimeInterval[];
}

/** What a client sets (PUT replaces the whole policy). */
export interface AvailabilitySettings {
  timeZone: string;
  weekly: WeeklyEntry[];
  overrides: DateOverride[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  /** The horizon in days after now; null = none. */
  maxDaysAhead: number | null;
  busyStatuses: ConfigurableBusyStatus[];
  extraCalendars: string[];
}

export interface AvailabilityPolicySnapshot extends AvailabilitySettings {
  workspaceId: string;
  memberId: string;
  updatedAt: Date;
}

/** A calendar item as the policy judges it: from the member's own mailbox or from one of `extraCalendars`. */
export interface CalendarItem {
  start: number;
  end: number;
  status: BusyStatus;
  calendar: string;
}

/**
 * The policy of a member who never stored one: their Outlook working hours (days, span and zone) when
 * the mailbox gave usable ones, else Monday to Friday 09:00–17:00; in the working hours' zone, else the
 * mailbox's, else UTC; and the defaults of API.md for everything else.
 */
export function defaultAvailabilitySettings(
  timeZone: string | null,
  workingHours: WorkingHours | null = null,
): AvailabilitySettings {
  const zone = [workingHours?.timeZone, timeZone].find((z): z is string => !!z && isTimeZone(z)) ?? 'UTC';
  const days = workingHours?.days ?? (['mon', 'tue', 'wed', 'thu', 'fri'] as const);
  const span = workingHours
    ? { start: workingHours.start, end: workingHours.end }
    : { start: '09:00', end: '17:00' };
  return {
    timeZone: zone,
    weekly: days.map((day) => ({ day, intervals: [{ ...span }] })),
    overrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    maxDaysAhead: null,
    busyStatuses: [...DEFAULT_BUSY_STATUSES],
    extraCalendars: [],
  };
}

export class AvailabilityPolicy {
  private constructor(
    private readonly state: AvailabilityPolicySnapshot,
    /** True for the policy of a member who never stored one. */
    readonly isDefault: boolean,
  ) {}

  /** Validates a client's settings; every problem is reported with its field path. */
  static define(input: {
    workspaceId: string;
    memberId: string;
    settings: AvailabilitySettings;
    now: Date;
  }): AvailabilityPolicy {
    const settings = validateSettings(input.settings);
    return new AvailabilityPolicy(
      { workspaceId: input.workspaceId, memberId: input.memberId, ...settings, updatedAt: input.now },
      false,
    );
  }

  static defaultFor(input: {
    workspaceId: string;
    memberId: string;
    timeZone: string | null;
    /** The mailbox's Outlook working hours, when known. */
    workingHours?: WorkingHours | null;
    now: Date;
  }): AvailabilityPolicy {
    return new AvailabilityPolicy(
      {
        workspaceId: input.workspaceId,
        memberId: input.memberId,
        ...defaultAvailabilitySettings(input.timeZone, input.workingHours ?? null),
        updatedAt: input.now,
      },
      true,
    );
  }

  static fromSnapshot(snapshot: AvailabilityPolicySnapshot): AvailabilityPolicy {
    return new AvailabilityPolicy(copy(snapshot), false);
  }

  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get memberId(): string {
    return this.state.memberId;
  }
  get timeZone(): string {
    return this.state.timeZone;
  }
  get extraCalendars(): readonly string[] {
    return this.state.extraCalendars;
  }
  get bufferBeforeMinutes(): number {
    return this.state.bufferBeforeMinutes;
  }
  get bufferAfterMinutes(): number {
    return this.state.bufferAfterMinutes;
  }

  /**
   * Whether a calendar item blocks this member. Own calendar: its status is one of `busyStatuses`, or
   * `unknown`. A room or shared mailbox of `extraCalendars`: busy, oof, tentative or unknown.
   */
  blocks(item: CalendarItem): boolean {
    if (item.status === 'unknown') return true;
    const extra = this.state.extraCalendars.some((c) => c.toLowerCase() === item.calendar.toLowerCase());
    if (extra) return EXTRA_CALENDAR_BLOCKING.includes(item.status);
    return (this.state.busyStatuses as readonly BusyStatus[]).includes(item.status);
  }

  /** The slot engine's view of this member, with the busy time the caller has already filtered. */
  toHostAvailability(hostId: string, busy: readonly BusyInterval[]): HostAvailability {
    const weekly: Partial<Record<Weekday, (readonly [number, number])[]>> = {};
    for (const entry of this.state.weekly) weekly[entry.day] = entry.intervals.map(toWall);
    const overrides: Record<string, (readonly [number, number])[]> = {};
    for (const o of this.state.overrides) overrides[o.date] = o.intervals.map(toWall);
    return {
      hostId,
      timeZone: this.state.timeZone,
      weekly,
      overrides,
      busy,
      policy: {
        bufferBeforeMinutes: this.state.bufferBeforeMinutes,
        bufferAfterMinutes: this.state.bufferAfterMinutes,
        minimumNoticeMinutes: this.state.minimumNoticeMinutes,
        maxDaysAhead: this.state.maxDaysAhead,
      },
    };
  }

  toSnapshot(): AvailabilityPolicySnapshot {
    return copy(this.state);
  }
}

/** A deep copy; Dates stay Dates of this realm (structuredClone's may not be, under test sandboxes). */
function copy(s: AvailabilityPolicySnapshot): AvailabilityPolicySnapshot {
  const intervals = (list: WallTimeInterval[]) => list.map(({ start, end }) => ({ start, end }));
  return {
    ...s,
    weekly: s.weekly.map((e) => ({ day: e.day, intervals: intervals(e.intervals) })),
    overrides: s.overrides.map((o) => ({ date: o.date, intervals: intervals(o.intervals) })),
    busyStatuses: [...s.busyStatuses],
    extraCalendars: [...s.extraCalendars],
    updatedAt: new Date(s.updatedAt.getTime()),
  };
}

function toWall(interval: WallTimeInterval): readonly [number, number] {
  return [parseWallTime(interval.start), parseWallTime(interval.end)];
}

function isTimeZone(zone: string): boolean {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function wallMinutes(value: unknown): number | null {
  return typeof value === 'string' && WALL_TIME.test(value) ? parseWallTime(value) : null;
}

function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Checks one day's intervals: each "HH:MM" with start < end, at most 24, none overlapping (touching is fine). */
function checkIntervals(errors: FieldError[], intervals: unknown, field: string): void {
  if (!Array.isArray(intervals)) {
    errors.push({ field, message: 'must be an array of { start, end }' });
    return;
  }
  if (intervals.length > MAX_INTERVALS_PER_DAY) {
    errors.push({ field, message: `must have at most ${MAX_INTERVALS_PER_DAY} intervals` });
    return;
  }
  const parsed: [number, number, number][] = [];
  intervals.forEach((interval: Partial<WallTimeInterval> | null, i) => {
    const at = `${field}.${i}`;
    const start = wallMinutes(interval?.start);
    const end = wallMinutes(interval?.end);
    if (start === null || start === 1440)
      errors.push({ field: `${at}.start`, message: 'must be HH:MM, 00:00 to 23:59' });
    if (end === null) errors.push({ field: `${at}.end`, message: 'must be HH:MM, 00:00 to 24:00' });
    if (start === null || end === null || start === 1440) return;
    if (start >= end) errors.push({ field: at, message: 'start must be before end' });
    else parsed.push([start, end, i]);
  });
  parsed.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < parsed.length; k++) {
    if (parsed[k][0] < parsed[k - 1][1]) {
      errors.push({
        field: `${field}.${parsed[k][2]}`,
        message: 'overlaps another interval of the same day',
      });
    }
  }
}

function validateSettings(input: AvailabilitySettings): AvailabilitySettings {
  const errors: FieldError[] = [];
  const s = (input ?? {}) as Partial<AvailabilitySettings>;

  const timeZone = canonicalTimeZone(s.timeZone);
  if (timeZone === null) errors.push({ field: 'timeZone', message: TIME_ZONE_RULE });

  if (!Array.isArray(s.weekly)) {
    errors.push({ field: 'weekly', message: 'must be an array of { day, intervals }' });
  } else {
    const seen = new Set<string>();
    s.weekly.forEach((entry, i) => {
      const day = entry?.day;
      if (!WEEKDAYS.includes(day)) {
        errors.push({ field: `weekly.${i}.day`, message: `must be one of ${WEEKDAYS.join(', ')}` });
      } else if (seen.has(day)) {
        errors.push({ field: `weekly.${i}.day`, message: `${day} is listed more than once` });
      } else {
        seen.add(day);
      }
      checkIntervals(errors, entry?.intervals, `weekly.${i}.intervals`);
    });
  }

  if (!Array.isArray(s.overrides)) {
    errors.push({ field: 'overrides', message: 'must be an array of { date, intervals }' });
  } else if (s.overrides.length > MAX_OVERRIDES) {
    errors.push({ field: 'overrides', message: `must have at most ${MAX_OVERRIDES} dates` });
  } else {
    const seen = new Set<string>();
    s.overrides.forEach((entry, i) => {
      const date = entry?.date;
      if (!isDate(date)) {
        errors.push({ field: `overrides.${i}.date`, message: 'must be a date YYYY-MM-DD' });
      } else if (seen.has(date)) {
        errors.push({ field: `overrides.${i}.date`, message: `${date} is listed more than once` });
      } else {
        seen.add(date);
      }
      checkIntervals(errors, entry?.intervals, `overrides.${i}.intervals`);
    });
  }

  const number = (ok: boolean, field: string, message: string) => {
    if (!ok) errors.push({ field, message });
  };
  number(
    isInt(s.bufferBeforeMinutes, 0, MAX_BUFFER_MINUTES),
    'bufferBeforeMinutes',
    `must be a whole number from 0 to ${MAX_BUFFER_MINUTES}`,
  );
  number(
    isInt(s.bufferAfterMinutes, 0, MAX_BUFFER_MINUTES),
    'bufferAfterMinutes',
    `must be a whole number from 0 to ${MAX_BUFFER_MINUTES}`,
  );
  number(
    isInt(s.minimumNoticeMinutes, 0, MAX_NOTICE_MINUTES),
    'minimumNoticeMinutes',
    `must be a whole number from 0 to ${MAX_NOTICE_MINUTES}`,
  );
  number(
    s.maxDaysAhead === null || isInt(s.maxDaysAhead, 1, MAX_DAYS_AHEAD),
    'maxDaysAhead',
    `must be null (no horizon) or a whole number from 1 to ${MAX_DAYS_AHEAD}`,
  );

  if (!Array.isArray(s.busyStatuses)) {
    errors.push({ field: 'busyStatuses', message: 'must be an array of statuses' });
  } else {
    const seen = new Set<string>();
    s.busyStatuses.forEach((status, i) => {
      if (!CONFIGURABLE_BUSY_STATUSES.includes(status)) {
        errors.push({
          field: `busyStatuses.${i}`,
          message:
            (status as string) === 'unknown'
              ? 'unknown always blocks and is not listed'
              : `must be one of ${CONFIGURABLE_BUSY_STATUSES.join(', ')}`,
        });
      } else if (seen.has(status)) {
        errors.push({ field: `busyStatuses.${i}`, message: `${status} is listed more than once` });
      } else {
        seen.add(status);
      }
    });
  }

  if (!Array.isArray(s.extraCalendars)) {
    errors.push({ field: 'extraCalendars', message: 'must be an array of email addresses' });
  } else if (s.extraCalendars.length > MAX_EXTRA_CALENDARS) {
    errors.push({ field: 'extraCalendars', message: `must have at most ${MAX_EXTRA_CALENDARS} calendars` });
  } else {
    const seen = new Set<string>();
    s.extraCalendars.forEach((address, i) => {
      if (typeof address !== 'string' || !isEmail(address.trim())) {
        errors.push({ field: `extraCalendars.${i}`, message: 'must be an email address' });
      } else if (seen.has(address.trim().toLowerCase())) {
        errors.push({ field: `extraCalendars.${i}`, message: `${address} is listed more than once` });
      } else {
        seen.add(address.trim().toLowerCase());
      }
    });
  }

  if (errors.length > 0) throw DomainError.validation(errors);

  const weekly = [...s.weekly!]
    .map((e) => ({ day: e.day, intervals: e.intervals.map(({ start, end }) => ({ start, end })) }))
    .sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day));
  return {
    timeZone: timeZone!,
    weekly,
    overrides: s
      .overrides!.map((o) => ({
        date: o.date,
        intervals: o.intervals.map(({ start, end }) => ({ start, end })),
      }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    bufferBeforeMinutes: s.bufferBeforeMinutes!,
    bufferAfterMinutes: s.bufferAfterMinutes!,
    minimumNoticeMinutes: s.minimumNoticeMinutes!,
    maxDaysAhead: s.maxDaysAhead!,
    busyStatuses: [...s.busyStatuses!],
    extraCalendars: s.extraCalendars!.map((a) => a.trim()),
  };
}
