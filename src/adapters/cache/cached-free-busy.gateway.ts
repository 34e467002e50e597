// A free/busy cache per member, so that a warm slots query makes no Graph call. An entry is valid for the
// calendar version it was read at (bumped by change notifications, on any instance) and, as a safety net,
// for a TTL. Bookings ask for a fresh read and bypass it. A request that brings the member's calendar state
// (read by the caller in the same statement as the rest of its data) is judged by it without a query.
import { Clock } from '@application/ports/clock.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import {
  FreeBusyGateway,
  type HostSchedule,
  type HostScheduleRequest,
  type ScheduleItem,
} from '@application/ports/free-busy.gateway.js';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';

const DAY = 24 * 3600_000;

interface Entry {
  calendars: string;
  start: number;
  end: number;
  version: number;
  fetchedAt: number;
  items: ScheduleItem[];
}

export interface FreeBusyCacheOptions {
  ttlMs?: number;
  /** Entries kept at most (least recently used go first). */
  maxEntries?: number;
  /**
   * Members without a live Graph subscription (it could not be made, or lapsed) hear of no change: their
   * entries live only `shortTtlMs` (default 30 s). Without it every member gets the full TTL.
   */
  coverage?: ChangeNotificationCoverage;
  shortTtlMs?: number;
}

export class CachedFreeBusyGateway extends FreeBusyGateway {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly coverage?: ChangeNotificationCoverage;
  private readonly shortTtlMs: number;
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: FreeBusyGateway,
    private readonly versions: CalendarVersions,
    private readonly clock: Clock,
    options: FreeBusyCacheOptions = {},
  ) {
    super();
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.coverage = options.coverage;
    this.shortTtlMs = Math.min(options.shortTtlMs ?? 30_000, this.ttlMs);
  }

  /** Past the short TTL, an entry stays only while the member's subscription is live (asked only then). */
  private async fresh(request: HostScheduleRequest, ageMs: number, now: number): Promise<boolean> {
    if (ageMs >= this.ttlMs) return false;
    if (!this.coverage || ageMs < this.shortTtlMs) return true;
    if (request.calendarState) return request.calendarState.subscriptionLive;
    const live = await this.coverage.liveMembers(request.workspaceId, [request.memberId], new Date(now));
    return live.has(request.memberId);
  }

  async hostSchedule(request: HostScheduleRequest): Promise<HostSchedule> {
    const key = `${request.workspaceId}/${request.memberId}`;
    const calendars = [request.mailbox, ...request.extraCalendars]
      .map((a) => a.toLowerCase())
      .sort()
      .join(',');
    const version =
      request.calendarState?.version ??
      (await this.versions.current(request.workspaceId, [request.memberId])).get(request.memberId) ??
      0;
    const now = this.clock.now().getTime();
    const entry = this.entries.get(key);
    if (
      !request.fresh &&
      entry &&
      entry.calendars === calendars &&
      entry.version === version &&
      entry.start <= request.start &&
      request.end <= entry.end &&
      (await this.fresh(request, now - entry.fetchedAt, now))
    ) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, entry);
      return { ok: true, items: within(entry.items, request) };
    }
    this.misses++;
    // Whole UTC days, so that nearby queries (another page of the same week) hit the same entry.
    const start = Math.floor(request.start / DAY) * DAY;
    const end = Math.ceil(request.end / DAY) * DAY;
    const result = await this.inner.hostSchedule({ ...request, start, end });
    if (!result.ok) {
      this.entries.delete(key);
      return result;
    }
    this.entries.set(key, { calendars, start, end, version, fetchedAt: now, items: result.items });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return { ok: true, items: within(result.items, request) };
  }
}

function within(items: ScheduleItem[], request: HostScheduleRequest): ScheduleItem[] {
  return items.filter((i) => i.end > request.start && i.start < request.end);
}
