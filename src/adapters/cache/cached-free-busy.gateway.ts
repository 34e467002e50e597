// A free/busy cache per member, so that a warm slots query makes no Graph call. An entry is valid for the
// calendar version it was read at (bumped by change notifications, on any instance) and, as a safety net,
// for a TTL. Bookings ask for a fresh read and bypass it. A request that brings the member's calendar state
// (read by the caller in the same statement as the rest of its data) is judged by it without a query. A pool
// is answered from the cache where it can, and its misses read together. Every answer says when Microsoft
// was read for it (`readAt`), so that slots can say how fresh they are. Room reads (`rooms`) are kept per
// workspace and set of rooms, for the short TTL only: nothing tells of their changes.
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

  async hostSchedule(request: HostScheduleRequest): Promise<HostSchedule> {
    return (await this.poolSchedules([request]))[0]!;
  }

  /** Cached hosts answer from the cache; the misses are read together (one pool read), then kept. */
  async poolSchedules(requests: readonly HostScheduleRequest[]): Promise<HostSchedule[]> {
    const now = this.clock.now().getTime();
    const versions = await this.versionsOf(requests);
    const answers: HostSchedule[] = new Array<HostSchedule>(requests.length);
    /** Requests whose entry is past the short TTL: valid only while the member's subscription is live. */
    const unsure = new Set<number>();
    const entries = requests.map((request, i) => {
      const entry = this.entries.get(keyOf(request));
      const usable =
        !request.fresh &&
        entry &&
        entry.calendars === calendarsOf(request) &&
        entry.version === versions[i] &&
        entry.start <= request.start &&
        request.end <= entry.end &&
        now - entry.fetchedAt < this.ttlMs;
      if (!usable) return null;
      // No notification tells of a room's change: its entries live the short TTL only.
      if (request.rooms) return now - entry.fetchedAt < this.shortTtlMs ? entry : null;
      if (this.coverage && now - entry.fetchedAt >= this.shortTtlMs) {
        if (request.calendarState) return request.calendarState.subscriptionLive ? entry : null;
        unsure.add(i);
      }
      return entry;
    });
    const live = await this.liveOf([...unsure].map((i) => requests[i]!));
    const misses: number[] = [];
    requests.forEach((request, i) => {
      const entry = entries[i];
      if (!entry || (unsure.has(i) && !live.has(keyOf(request)))) {
        misses.push(i);
        return;
      }
      this.hits++;
      const key = keyOf(request);
      this.entries.delete(key);
      this.entries.set(key, entry);
      answers[i] = { ok: true, items: within(entry.items, request), readAt: entry.fetchedAt };
    });
    if (misses.length === 0) return answers;

    this.misses += misses.length;
    // Whole UTC days, so that nearby queries (another page of the same week) hit the same entry.
    const reads = misses.map((i) => {
      const request = requests[i]!;
      return {
        ...request,
        start: Math.floor(request.start / DAY) * DAY,
        end: Math.ceil(request.end / DAY) * DAY,
      };
    });
    const results = await this.inner.poolSchedules(reads);
    misses.forEach((i, k) => {
      const request = requests[i]!;
      const read = reads[k]!;
      const result = results[k]!;
      const key = keyOf(request);
      if (!result.ok) {
        this.entries.delete(key);
        answers[i] = result;
        return;
      }
      this.entries.delete(key);
      this.entries.set(key, {
        calendars: calendarsOf(request),
        start: read.start,
        end: read.end,
        version: versions[i]!,
        fetchedAt: result.readAt ?? now,
        items: result.items,
      });
      answers[i] = { ok: true, items: within(result.items, request), readAt: result.readAt ?? now };
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return answers;
  }

  /** Each request's calendar version: the one it brings, else one read per workspace for the others. */
  private async versionsOf(requests: readonly HostScheduleRequest[]): Promise<number[]> {
    const byWorkspace = groupBy(requests.filter((r) => !r.calendarState && !r.rooms));
    const current = new Map<string, Map<string, number>>();
    await Promise.all(
      [...byWorkspace].map(async ([workspaceId, memberIds]) =>
        current.set(workspaceId, await this.versions.current(workspaceId, memberIds)),
      ),
    );
    return requests.map((r) =>
      r.rooms ? 0 : (r.calendarState?.version ?? current.get(r.workspaceId)?.get(r.memberId) ?? 0),
    );
  }

  /** Which of these members have a live subscription (keys as `keyOf`): one read per workspace. */
  private async liveOf(requests: HostScheduleRequest[]): Promise<Set<string>> {
    const live = new Set<string>();
    if (!this.coverage || requests.length === 0) return live;
    const now = new Date(this.clock.now().getTime());
    await Promise.all(
      [...groupBy(requests)].map(async ([workspaceId, memberIds]) => {
        for (const memberId of await this.coverage!.liveMembers(workspaceId, memberIds, now))
          live.add(`${workspaceId}/${memberId}`);
      }),
    );
    return live;
  }
}

function keyOf(request: HostScheduleRequest): string {
  // Rooms are the workspace's, whoever's token reads them.
  return request.rooms
    ? `${request.workspaceId}/rooms/${calendarsOf(request)}`
    : `${request.workspaceId}/${request.memberId}`;
}

function calendarsOf(request: HostScheduleRequest): string {
  return [request.mailbox, ...request.extraCalendars]
    .map((a) => a.toLowerCase())
    .sort()
    .join(',');
}

/** Member ids by workspace, each once. */
function groupBy(requests: readonly HostScheduleRequest[]): Map<string, string[]> {
  const byWorkspace = new Map<string, Set<string>>();
  for (const r of requests)
    byWorkspace.set(r.workspaceId, (byWorkspace.get(r.workspaceId) ?? new Set()).add(r.memberId));
  return new Map([...byWorkspace].map(([w, ids]) => [w, [...ids]]));
}

function within(items: ScheduleItem[], request: HostScheduleRequest): ScheduleItem[] {
  return items.filter((i) => i.end > request.start && i.start < request.end);
}
