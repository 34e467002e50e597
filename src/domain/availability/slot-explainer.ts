// Explains, per host, why one start is or is not offered, with every reason that applies; it
// follows the engine's rules one by one instead of its fast sweep, so the two can be compared.
import {
  HostHours,
  effectivePolicy,
  workingIntervals,
  type BusyInterval,
  type HostAvailability,
  type SlotQuery,
  type WallInterval,
} from './slot-engine.js';
import { LimitCheck, hasLimits, type BrokenLimit } from './booking-limits.js';
import { DAY_MS, MINUTE_MS, ZoneTimeline, assertTimeZone, formatLocalDate, isOnGrid } from './zoned-time.js';

export type ExplainReason =
  /** The start's wall time is not a whole number of slot intervals after local midnight. */
  | { readonly code: 'not_on_grid'; readonly localStart: string; readonly slotIntervalMinutes: number }
  /** [start, end) is not inside one joined working interval. */
  | { readonly code: 'outside_hours'; readonly localStart: string; readonly localEnd: string }
  /** Comes with outside_hours: that local date's hours come from an override. */
  | { readonly code: 'override'; readonly localDate: string; readonly intervals: readonly WallInterval[] }
  | { readonly code: 'notice'; readonly earliestStart: number }
  | { readonly code: 'horizon'; readonly horizonEnd: number }
  | { readonly code: 'range'; readonly range: { readonly start: number; readonly end: number } }
  /** A calendar item overlaps [start, end) itself. */
  | { readonly code: 'busy'; readonly item: BusyInterval }
  /** An existing booking overlaps [start, end) itself. */
  | { readonly code: 'booking'; readonly item: BusyInterval }
  /** A busy item (calendar or booking) overlaps only the buffers around the slot. */
  | { readonly code: 'buffer'; readonly item: BusyInterval }
  /** One of the event's booking limits for this host (per day, per week, minimum gap). */
  | { readonly code: 'limit'; readonly broken: BrokenLimit };

export type ExplainReasonCode = ExplainReason['code'];

export interface HostExplanation {
  readonly hostId: string;
  readonly offered: boolean;
  /** Empty exactly when offered. */
  readonly reasons: readonly ExplainReason[];
}

export interface StartExplanation {
  readonly start: number;
  readonly end: number;
  /** Whether the start is offered: some host offers it, or with `hostsNeeded: 'all'` every host does. */
  readonly offered: boolean;
  readonly hosts: readonly HostExplanation[];
}

export function explainStart(query: SlotQuery, start: number): StartExplanation {
  const hosts = query.hosts.map((host) => explainHost(query, host, start));
  const end = start + query.event.durationMinutes * MINUTE_MS;
  const offered = query.hostsNeeded === 'all' ? hosts.every((h) => h.offered) : hosts.some((h) => h.offered);
  return { start, end, offered, hosts };
}

function explainHost(query: SlotQuery, host: HostAvailability, start: number): HostExplanation {
  assertTimeZone(host.timeZone);
  const p = effectivePolicy(query, host);
  const end = start + p.durationMs;
  const timeline = ZoneTimeline.build(host.timeZone, start - 3 * DAY_MS, end + 3 * DAY_MS);
  const reasons: ExplainReason[] = [];
  const wallStart = timeline.toWall(start);

  if (!isOnGrid(wallStart, p.slotIntervalMs)) {
    reasons.push({
      code: 'not_on_grid',
      localStart: localText(wallStart),
      slotIntervalMinutes: p.slotIntervalMs / MINUTE_MS,
    });
  }

  const hours = new HostHours(host);
  const startDay = Math.floor(wallStart / DAY_MS);
  const lastDay = Math.floor(timeline.toWall(end - 1) / DAY_MS);
  const working = workingIntervals(hours, timeline, startDay - 2, lastDay + 1);
  let inside = false;
  for (let i = 0; i < working.length; i += 2) {
    if (working[i] <= start && end <= working[i + 1]) inside = true;
  }
  if (!inside) {
    reasons.push({
      code: 'outside_hours',
      localStart: localText(wallStart),
      localEnd: localText(timeline.toWall(end)),
    });
    for (let day = startDay; day <= lastDay; day++) {
      if (hours.hasOverride(day)) {
        reasons.push({
          code: 'override',
          localDate: formatLocalDate(day),
          intervals: hours.intervalsOn(day),
        });
      }
    }
  }

  if (start < p.noticeEnd) reasons.push({ code: 'notice', earliestStart: p.noticeEnd });
  if (start >= p.horizonEnd) reasons.push({ code: 'horizon', horizonEnd: p.horizonEnd });
  if (start < query.range.start || end > query.range.end) reasons.push({ code: 'range', range: query.range });

  const bufferedStart = start - p.bufferBeforeMs;
  const bufferedEnd = end + p.bufferAfterMs;
  for (const item of host.busy) {
    if (item.end <= item.start) continue;
    if (item.start < end && item.end > start) {
      reasons.push({ code: item.source === 'booking' ? 'booking' : 'busy', item });
    } else if (item.start < bufferedEnd && item.end > bufferedStart) {
      reasons.push({ code: 'buffer', item });
    }
  }

  const limits = query.event.limits;
  if (hasLimits(limits)) {
    const check = LimitCheck.around(limits, host.timeZone, { start, end }, host.limitedBookings ?? []);
    for (const broken of check.broken(start, end)) reasons.push({ code: 'limit', broken });
  }

  return { hostId: host.hostId, offered: reasons.length === 0, reasons };
}

/** "2027-03-14T03:30" (seconds only when not zero). */
function localText(wall: number): string {
  const iso = new Date(wall).toISOString();
  return iso.slice(17, 19) === '00' ? iso.slice(0, 16) : iso.slice(0, 19);
}
