// Why one start of an event type is or is not offered, per host, with every reason (API.md "Slots" explain):
// host-level reasons (not active, not connected, consent revoked, calendar unreadable) first, then each rule
// of the slot engine that the start breaks, with busy items' status and calendar and bookings as such. An
// event type with rooms: a required pool with no room free for the meeting is a `room` reason of every host
// (what takes each room), as /slots leaves the start out; the room a booking would take is named. The event
// type, its hosts and kailenty's claims on its rooms come from the one read /slots makes.
import type { WallInterval } from '@domain/availability/slot-engine.js';
import { explainStart, type ExplainReason } from '@domain/availability/slot-explainer.js';
import type { BrokenLimit } from '@domain/availability/booking-limits.js';
import { warningOf, type HostUnreadiness, type HostWarning } from '@domain/availability/host-readiness.js';
import { formatInZone } from '@domain/availability/offset-time.js';
import { MINUTE_MS } from '@domain/availability/zoned-time.js';
import type { CalendarItem } from '@domain/availability/availability-policy.js';
import { explainRooms, type TakenRoom } from '@domain/availability/room-filter.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { checkInstants } from '@domain/shared/instant.js';
import { Clock } from '../ports/clock.js';
import { HostCalendars } from './host-calendars.js';
import { RoomCalendars } from './room-calendars.js';
import { checkViewerZone } from './get-slots.use-case.js';

/** One reason a host does not offer the start; instants are written in the viewer's zone. */
export type ReasonView =
  | { code: 'member_not_active'; message: string; memberStatus: string }
  | { code: 'not_connected'; message: string }
  | { code: 'consent_revoked'; message: string; connection: string }
  | { code: 'calendar_unreadable'; message: string; errorCode: string; calendar: string | null }
  | { code: 'not_on_grid'; message: string; localStart: string; slotIntervalMinutes: number }
  | { code: 'outside_hours'; message: string; localStart: string; localEnd: string }
  | { code: 'override'; message: string; date: string; intervals: { start: string; end: string }[] }
  | { code: 'notice'; message: string; earliestStart: string }
  | { code: 'horizon'; message: string; horizonEnd: string }
  | { code: 'range'; message: string }
  | { code: 'busy'; message: string; start: string; end: string; status: string; calendar: string | null }
  | { code: 'booking'; message: string; start: string; end: string; bookingId: string | null }
  | {
      code: 'buffer';
      message: string;
      start: string;
      end: string;
      source: 'calendar' | 'booking';
      status: string | null;
      calendar: string | null;
      bookingId: string | null;
    }
  | {
      code: 'room';
      message: string;
      /** Each room of the required pool and what takes it for the meeting. */
      rooms: TakenRoomView[];
    }
  | {
      code: 'limit';
      message: string;
      limit: 'perDay' | 'perWeek' | 'minimumGapMinutes';
      /** The limit's value: bookings per day or week, or the gap in minutes. */
      value: number;
      /** perDay / perWeek: the host's bookings of the event type already on that day or in that week. */
      count: number | null;
      /** minimumGapMinutes: the booking that is too close. */
      bookingId: string | null;
    };

/** A room of the pool that is not free for the meeting, and why. */
export interface TakenRoomView {
  email: string;
  /** True: Microsoft 365 could not read its calendar (it counts as busy throughout); `busy` is then empty. */
  unreadable: boolean;
  /** What overlaps the meeting: its room calendar's items, or kailenty's own booking or live hold (bookingId). */
  busy: { start: string; end: string; bookingId: string | null }[];
}

/** A calendar item that was read but does not block under the host's policy (e.g. `free`). */
export interface IgnoredItemView {
  start: string;
  end: string;
  status: string;
  calendar: string;
}

export interface HostExplanationView {
  hostId: string;
  offered: boolean;
  /** The zone the host's hours are read in; `localStart`/`localEnd` of reasons are wall times there. */
  hostTimeZone: string;
  /** Empty exactly when offered. */
  reasons: ReasonView[];
  /** Overlapping items that did not block. */
  ignoredItems: IgnoredItemView[];
}

export interface SlotExplanation {
  timeZone: string;
  start: string;
  end: string;
  /** Whether the start is offered: by any host (single, round robin), or by every host (collective). */
  offered: boolean;
  hosts: HostExplanationView[];
  warnings: HostWarning[];
  /**
   * Event types with rooms only: the room a booking of this start would take (the first of the pool free for
   * the meeting), null when the start is not offered or no room is free (an optional pool books without one).
   */
  room?: { email: string; name: string } | null;
}

export class ExplainSlot {
  constructor(
    private readonly hosts: HostCalendars,
    private readonly clock: Clock,
    private readonly rooms: RoomCalendars,
  ) {}

  async execute(input: {
    workspaceId: string;
    eventTypeId: string;
    at: Date;
    timeZone?: string;
  }): Promise<SlotExplanation> {
    const timeZone = checkViewerZone(input.timeZone);
    checkInstants({ at: input.at });
    const start = input.at.getTime();
    const now = this.clock.now();
    const found = await this.hosts.loadEventTypeAt(input.workspaceId, input.eventTypeId, start, now, {
      cacheable: true,
    });
    if (!found) throw DomainError.notFound('Event type');
    const { eventType, hosts, roomClaims } = found;
    const end = start + eventType.durationMinutes * MINUTE_MS;

    // The range is the slot itself: explain asks about one start, wherever it is.
    const explanation = explainStart(
      {
        now: now.getTime(),
        range: { start, end },
        event: eventType.slotPolicy(),
        hosts: hosts.map((h) => h.availability),
        hostsNeeded: eventType.hostsNeeded,
      },
      start,
    );
    const at = (t: number) => formatInZone(t, timeZone);
    // The pool as /slots and a booking read it: Microsoft 365's free/busy and kailenty's own claims.
    const pool = eventType.rooms;
    const rooms = pool
      ? explainRooms(
          (
            await this.rooms.load({
              workspaceId: input.workspaceId,
              pool,
              readers: hosts.filter((h) => h.problem === null).map((h) => h.hostId),
              start,
              end,
              now,
              claims: roomClaims,
            })
          ).rooms,
          start,
          end,
        )
      : null;
    const noRoom = pool?.required && rooms!.free.length === 0 ? [roomReason(rooms!.taken, at)] : [];
    const views = hosts.map((host, i): HostExplanationView => {
      const ruled = explanation.hosts[i];
      const reasons = [
        ...(host.problem ? [problemReason(host.problem)] : []),
        ...ruled.reasons.map((r) => ruleReason(r, at)),
        ...noRoom,
      ];
      return {
        hostId: host.hostId,
        offered: reasons.length === 0,
        hostTimeZone: host.policy.timeZone,
        reasons,
        ignoredItems: host.ignored
          .filter((item: CalendarItem) => item.start < end && item.end > start)
          .map((item) => ({
            start: at(item.start),
            end: at(item.end),
            status: item.status,
            calendar: item.calendar,
          })),
      };
    });
    // Collective: offered only when every host offers it; each host's reasons say who blocks it and why.
    const offered = eventType.isCollective ? views.every((h) => h.offered) : views.some((h) => h.offered);
    const first = offered ? pool?.rooms.find((r) => rooms!.free.includes(r.email)) : undefined;
    return {
      timeZone,
      start: at(start),
      end: at(end),
      offered,
      hosts: views,
      warnings: hosts.flatMap((h) => (h.problem ? [warningOf(h.hostId, h.problem)] : [])),
      ...(pool && { room: first ? { email: first.email, name: first.name } : null }),
    };
  }
}

function roomReason(taken: readonly TakenRoom[], at: (t: number) => string): ReasonView {
  return {
    code: 'room',
    message: `No room of the required pool is free for the meeting (${taken.map((r) => r.email).join(', ')}).`,
    rooms: taken.map((room) => ({
      email: room.email,
      unreadable: room.unreadable,
      busy: room.items.map((item) => ({
        start: at(item.start),
        end: at(item.end),
        bookingId: item.bookingId ?? null,
      })),
    })),
  };
}

function problemReason(problem: HostUnreadiness): ReasonView {
  switch (problem.kind) {
    case 'member_not_active':
      return {
        code: 'member_not_active',
        message: `The member is ${problem.memberStatus}, not active.`,
        memberStatus: problem.memberStatus,
      };
    case 'not_connected':
      return { code: 'not_connected', message: 'The member has not connected their Microsoft 365 account.' };
    case 'consent_revoked':
      return {
        code: 'consent_revoked',
        message: `The Microsoft 365 connection is ${problem.connection}: the member must reconnect.`,
        connection: problem.connection,
      };
    case 'calendar_unreadable':
      return {
        code: 'calendar_unreadable',
        message: `Free/busy could not be read (${problem.code}): ${problem.detail}`,
        errorCode: problem.code,
        calendar: problem.calendar ?? null,
      };
  }
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function ruleReason(reason: ExplainReason, at: (t: number) => string): ReasonView {
  switch (reason.code) {
    case 'not_on_grid':
      return {
        code: 'not_on_grid',
        message: `Starts are every ${reason.slotIntervalMinutes} minutes from local midnight; ${reason.localStart} is not one.`,
        localStart: reason.localStart,
        slotIntervalMinutes: reason.slotIntervalMinutes,
      };
    case 'outside_hours':
      return {
        code: 'outside_hours',
        message: `${reason.localStart} to ${reason.localEnd} (host's local time) is not inside the working hours.`,
        localStart: reason.localStart,
        localEnd: reason.localEnd,
      };
    case 'override':
      return {
        code: 'override',
        message: `The hours of ${reason.localDate} come from an override${reason.intervals.length === 0 ? ' (day off)' : ''}.`,
        date: reason.localDate,
        intervals: reason.intervals.map(([s, e]: WallInterval) => ({ start: hhmm(s), end: hhmm(e) })),
      };
    case 'notice':
      return {
        code: 'notice',
        message: `Too soon: the earliest start with the minimum notice is ${at(reason.earliestStart)}.`,
        earliestStart: at(reason.earliestStart),
      };
    case 'horizon':
      return {
        code: 'horizon',
        message: `Too far ahead: starts must be before ${at(reason.horizonEnd)}.`,
        horizonEnd: at(reason.horizonEnd),
      };
    case 'range':
      return { code: 'range', message: 'Outside the requested range.' };
    case 'busy':
      return {
        code: 'busy',
        message: `A ${reason.item.status ?? 'busy'} item on ${reason.item.calendar ?? 'the calendar'} overlaps the slot.`,
        start: at(reason.item.start),
        end: at(reason.item.end),
        status: reason.item.status ?? 'busy',
        calendar: reason.item.calendar ?? null,
      };
    case 'booking':
      return {
        code: 'booking',
        message: 'An existing kailenty booking overlaps the slot.',
        start: at(reason.item.start),
        end: at(reason.item.end),
        bookingId: reason.item.id ?? null,
      };
    case 'buffer': {
      const source = reason.item.source === 'booking' ? 'booking' : 'calendar';
      return {
        code: 'buffer',
        message: `A ${source === 'booking' ? 'booking' : 'calendar item'} overlaps the buffer time around the slot.`,
        start: at(reason.item.start),
        end: at(reason.item.end),
        source,
        status: reason.item.status ?? null,
        calendar: reason.item.calendar ?? null,
        bookingId: source === 'booking' ? (reason.item.id ?? null) : null,
      };
    }
    case 'limit':
      return limitReason(reason.broken);
  }
}

function limitReason(broken: BrokenLimit): ReasonView {
  if (broken.limit === 'minimumGap') {
    return {
      code: 'limit',
      message: `Closer than ${broken.minutes} minutes to another booking (or live hold) of this event type with the host.`,
      limit: 'minimumGapMinutes',
      value: broken.minutes,
      count: null,
      bookingId: broken.booking.id ?? null,
    };
  }
  const period = broken.limit === 'perDay' ? 'day' : 'week (from Monday)';
  return {
    code: 'limit',
    message: `The host already has ${broken.count === 1 ? '1 booking' : `${broken.count} bookings`} of this event type that ${period} (host's zone; a live hold counts as one); the limit is ${broken.max}.`,
    limit: broken.limit,
    value: broken.max,
    count: broken.count,
    bookingId: null,
  };
}
