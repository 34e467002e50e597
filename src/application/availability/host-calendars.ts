// Gathers what the slot engine needs about each host of an event type: their policy (stored or default),
// whether their Microsoft connection works, their busy time from Microsoft 365 (own calendar and extra
// calendars, filtered by the policy) and from kailenty's own bookings, with the event type's own bookings that
// its limits count, and when Microsoft 365 was read for each. A host whose calendar cannot be
// read offers nothing: unreadable is never free. The database is read once (`SlotsReadModel`), and the
// free/busy cache is told the calendar version that read found. A read that Microsoft refused (the host's
// access withdrawn) is recorded here, through RecordMicrosoftFailure: the connection is marked and
// connection.revoked sent.
import {
  AvailabilityPolicy,
  MAX_BUFFER_MINUTES,
  type CalendarItem,
} from '@domain/availability/availability-policy.js';
import {
  calendarFailureCode,
  readinessOf,
  unreadable,
  type HostUnreadiness,
} from '@domain/availability/host-readiness.js';
import { withoutOwnEvent } from '@domain/availability/own-event.js';
import { computeSlots, type BusyInterval, type HostAvailability } from '@domain/availability/slot-engine.js';
import { LIMIT_REACH_MS } from '@domain/availability/booking-limits.js';
import { DAY_MS, MINUTE_MS } from '@domain/availability/zoned-time.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { MAX_DURATION_MINUTES, type EventType } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { FreeBusyGateway, type HostSchedule, type HostScheduleRequest } from '../ports/free-busy.gateway.js';
import { MicrosoftRefusal } from '../ports/microsoft-refusal.js';
import { SlotsReadModel, type HostSnapshot, type RoomClaim } from '../ports/slots.read-model.js';
import { RecordMicrosoftFailure } from '../connection/record-microsoft-failure.use-case.js';

export interface LoadedHost {
  hostId: string;
  /** The host as an attendee of a collective booking's event: name and mailbox (null: not connected). */
  attendee: { name: string; email: string } | null;
  policy: AvailabilityPolicy;
  /** The engine's input: hours and policy, with the blocking busy time (none when there is a problem). */
  availability: HostAvailability;
  /** Why the host offers nothing at all, before any rule of their policy; null when they can be offered. */
  problem: HostUnreadiness | null;
  /** Calendar items read but not blocking under the policy (e.g. `free`), for explanations. */
  ignored: CalendarItem[];
  /**
   * Epoch ms: when Microsoft 365 was read for the busy time used (a cached read: when it was read, not when
   * served); null when it was not read (a problem, or the start was booked out from the database alone).
   */
  readAt: number | null;
}

/** The stored policy, else the default one: the mailbox's Outlook working hours, in its zone (UTC when unknown). */
export function policyOrDefault(
  stored: AvailabilityPolicy | null,
  input: { workspaceId: string; memberId: string; connection: MicrosoftConnection | null; now: Date },
): AvailabilityPolicy {
  return (
    stored ??
    AvailabilityPolicy.defaultFor({
      workspaceId: input.workspaceId,
      memberId: input.memberId,
      timeZone: input.connection?.timeZone ?? null,
      workingHours: input.connection?.workingHours ?? null,
      now: input.now,
    })
  );
}

/** Free/busy is read this much beyond the buffered window, so items that start or end nearby are seen. */
const READ_MARGIN_MS = DAY_MS;

export interface LoadOptions {
  /** Read Microsoft 365 now, past any cache: a booking re-checks its slot this way. */
  fresh?: boolean;
  /** Only these hosts (of the event type). */
  hostIds?: readonly string[];
  /**
   * A booking being rescheduled: its own time must not block its new time, neither in kailenty nor as its
   * event in its host's Outlook (`outlookEvent`: where that event is, when it is known to exist).
   */
  ignoreBooking?: {
    id: string;
    hostId: string;
    /** Every host of the booking (a collective one's co-hosts have copies of its event); default: `hostId`. */
    hostIds?: readonly string[];
    outlookEvent: { start: number; end: number } | null;
  };
  /**
   * A booking's check of `window.start`: when kailenty's own booked time already takes that start from every
   * host that could be read, Microsoft 365 is not read (busy time only takes starts away, so the read could
   * not offer it again); the hosts come back without calendar items, their booked time blocking the start.
   */
  skipBookedOut?: boolean;
  /** A read that decides nothing it writes (explain): it may be answered from the read cache, as slots are. */
  cacheable?: boolean;
}

/** An event type and every host of it, in its order, with kailenty's own claims on the rooms of its pool. */
export interface LoadedEventType {
  eventType: EventType;
  hosts: LoadedHost[];
  /** Confirmed bookings' and live holds' rooms of the pool (none without one), meeting times. */
  roomClaims: RoomClaim[];
}

export class HostCalendars {
  constructor(
    private readonly readModel: SlotsReadModel,
    private readonly freeBusy: FreeBusyGateway,
    private readonly failures: RecordMicrosoftFailure,
  ) {}

  /**
   * The event type and every host of it, in its order, for starts whose slots lie in [window.start,
   * window.end], from one read of the database; null when the workspace has no such event type.
   */
  async loadEventType(
    workspaceId: string,
    eventTypeId: string,
    window: { start: number; end: number },
    now: Date,
  ): Promise<LoadedEventType | null> {
    const found = await this.readModel.forEventType({
      workspaceId,
      eventTypeId,
      booked: bookedRange(window),
      typeBooked: typeBookedRange(window),
      now,
      cacheable: true,
    });
    if (!found) return null;
    return {
      eventType: found.eventType,
      hosts: await this.fromSnapshots(workspaceId, found.hosts, window, now, {}, found.eventType),
      roomClaims: found.roomClaims,
    };
  }

  /**
   * A booking's check of one start: the event type and every host of it, in its order, for the slot that
   * starts at `start`, from one read of the database (the slot's end follows from the event type that read
   * finds, so booked time is read as far as the longest event could need); null when there is no such type.
   * `check` sees the event type before any calendar is read: what it throws costs no Microsoft 365 read.
   */
  async loadEventTypeAt(
    workspaceId: string,
    eventTypeId: string,
    start: number,
    now: Date,
    options: LoadOptions = {},
    check: (eventType: EventType) => void = () => {},
  ): Promise<LoadedEventType | null> {
    const found = await this.readModel.forEventType({
      workspaceId,
      eventTypeId,
      booked: bookedRange({ start, end: start + MAX_DURATION_MINUTES * MINUTE_MS }),
      typeBooked: typeBookedRange({ start, end: start + MAX_DURATION_MINUTES * MINUTE_MS }),
      now,
      cacheable: options.cacheable,
    });
    if (!found) return null;
    const { eventType } = found;
    check(eventType);
    const snapshots = options.hostIds
      ? found.hosts.filter((h) => options.hostIds!.includes(h.hostId))
      : found.hosts;
    const window = { start, end: start + eventType.durationMinutes * MINUTE_MS };
    return {
      eventType,
      hosts: await this.fromSnapshots(workspaceId, snapshots, window, now, options, eventType),
      roomClaims: found.roomClaims,
    };
  }

  /** Every host of the event type, in its order, for starts whose slots lie in [window.start, window.end]. */
  async load(
    eventType: EventType,
    window: { start: number; end: number },
    now: Date,
    options: LoadOptions = {},
  ): Promise<LoadedHost[]> {
    const workspaceId = eventType.workspaceId;
    const hostIds = eventType.hostIds.filter((id) => !options.hostIds || options.hostIds.includes(id));
    const snapshots = await this.readModel.forHosts({
      workspaceId,
      eventTypeId: eventType.id,
      hostIds,
      booked: bookedRange(window),
      typeBooked: typeBookedRange(window),
      now,
    });
    return this.fromSnapshots(workspaceId, snapshots, window, now, options, eventType);
  }

  private async fromSnapshots(
    workspaceId: string,
    snapshots: HostSnapshot[],
    window: { start: number; end: number },
    now: Date,
    options: LoadOptions,
    eventType: EventType,
  ): Promise<LoadedHost[]> {
    const hosts = snapshots.map((snapshot) => {
      const { hostId, member, connection } = snapshot;
      const policy = policyOrDefault(snapshot.policy, { workspaceId, memberId: hostId, connection, now });
      if (!member) throw DomainError.notFound(`Host ${hostId}`);
      return {
        hostId,
        connection,
        attendee: connection ? { name: member.displayName, email: connection.mailbox } : null,
        policy,
        snapshot,
        ready: readinessOf(member, connection),
        ...readWindow(policy, window),
      };
    });

    const own = options.ignoreBooking;
    const bookedBusy = (h: (typeof hosts)[number], start: number, end: number): BusyInterval[] =>
      h.snapshot.booked
        .filter((b) => !(own && b.bookingId === own.id) && b.end > start && b.start < end)
        .map((b) => ({ start: b.start, end: b.end, source: 'booking', id: b.bookingId }));
    // The engine's input for a host: its hours and policy, this busy time and the type's bookings the limits count.
    const availability = (h: (typeof hosts)[number], busy: BusyInterval[]): HostAvailability => ({
      ...h.policy.toHostAvailability(h.hostId, busy),
      limitedBookings: h.snapshot.typeBookings
        .filter((b) => !(own && b.bookingId === own.id))
        .map((b) => ({ start: b.start, end: b.end, id: b.bookingId })),
    });
    const bookedOut = new Set<string>();
    if (options.skipBookedOut) {
      for (const h of hosts) {
        if (h.ready !== null) continue;
        const offered = computeSlots({
          now: now.getTime(),
          range: window,
          event: eventType.slotPolicy(),
          hosts: [availability(h, bookedBusy(h, h.readStart, h.readEnd))],
        }).some((slot) => slot.start === window.start);
        if (!offered) bookedOut.add(h.hostId);
      }
      if (eventType.isCollective) {
        // One booked-out host takes the start from the whole team: nobody needs reading.
        if (bookedOut.size > 0) for (const h of hosts) if (h.ready === null) bookedOut.add(h.hostId);
      } else if (hosts.some((h) => h.ready === null && !bookedOut.has(h.hostId))) {
        // Only when nobody is left to read: another host of a pool may still offer the start.
        bookedOut.clear();
      }
    }

    const readable = hosts.filter((h) => h.ready === null && !bookedOut.has(h.hostId));
    const schedules = await this.schedules(
      readable.map((h) => ({
        workspaceId,
        memberId: h.hostId,
        mailbox: h.connection!.mailbox,
        extraCalendars: [...h.policy.extraCalendars],
        start: h.readStart,
        end: h.readEnd,
        fresh: options.fresh,
        calendarState: {
          version: h.snapshot.calendarVersion,
          subscriptionLive: h.snapshot.subscriptionLive,
        },
      })),
    );
    // Booked time as one read over every readable host's window would have found it.
    const ready = hosts.filter((h) => h.ready === null);
    const bookedStart = Math.min(...ready.map((h) => h.readStart));
    const bookedEnd = Math.max(...ready.map((h) => h.readEnd));
    const scheduleById = new Map(readable.map((h, i) => [h.hostId, schedules[i]]));
    for (const [hostId, schedule] of scheduleById) {
      if (schedule && !schedule.ok && schedule.refusal)
        await this.failures.execute({ workspaceId, memberId: hostId, verdict: schedule.refusal });
    }

    return hosts.map((h): LoadedHost => {
      if (bookedOut.has(h.hostId)) {
        return {
          hostId: h.hostId,
          attendee: h.attendee,
          policy: h.policy,
          availability: availability(h, bookedBusy(h, h.readStart, h.readEnd)),
          problem: null,
          ignored: [],
          readAt: null,
        };
      }
      const schedule = scheduleById.get(h.hostId);
      const problem = h.ready ?? (schedule && !schedule.ok ? unreadable(schedule) : null);
      if (problem || !schedule?.ok) {
        return {
          hostId: h.hostId,
          attendee: h.attendee,
          policy: h.policy,
          availability: availability(h, []),
          problem,
          ignored: [],
          readAt: null,
        };
      }
      const busy: BusyInterval[] = [];
      const ignored: CalendarItem[] = [];
      const items = withoutOwnEvent(
        schedule.items,
        own && (own.hostIds ?? [own.hostId]).includes(h.hostId) ? own.outlookEvent : null,
        h.connection!.mailbox,
      );
      for (const item of items) {
        if (h.policy.blocks(item)) {
          busy.push({
            start: item.start,
            end: item.end,
            status: item.status,
            calendar: item.calendar,
            source: 'calendar',
          });
        } else {
          ignored.push({ ...item });
        }
      }
      busy.push(...bookedBusy(h, bookedStart, bookedEnd));
      return {
        hostId: h.hostId,
        attendee: h.attendee,
        policy: h.policy,
        availability: availability(h, busy),
        problem: null,
        ignored,
        // A read made for this request has no time of its own: it is as fresh as the request.
        readAt: schedule.readAt ?? now.getTime(),
      };
    });
  }

  /**
   * The pool's schedules in one read (the gateway may read many hosts per Microsoft call). A gateway that
   * throws instead of answering a failure is still a failure for every host, never "free".
   */
  private async schedules(requests: HostScheduleRequest[]): Promise<HostSchedule[]> {
    if (requests.length === 0) return [];
    try {
      return await this.freeBusy.poolSchedules(requests);
    } catch (error) {
      const failure: HostSchedule = {
        ok: false,
        code: calendarFailureCode(error instanceof DomainError ? error.code : null),
        detail: error instanceof Error ? error.message : String(error),
      };
      // A refusal is only its owner's to record.
      return requests.map((r) =>
        error instanceof MicrosoftRefusal && error.whose.memberId === r.memberId
          ? { ...failure, refusal: error.verdict }
          : { ...failure },
      );
    }
  }
}

/** Booked time is read once for every host, so as widely as any host's policy could need it. */
function bookedRange(window: { start: number; end: number }) {
  const widest = MAX_BUFFER_MINUTES * MINUTE_MS + READ_MARGIN_MS;
  return { start: window.start - widest, end: window.end + widest };
}

/** The event type's own bookings as far around the window as its limits can reach (a week, a gap). */
function typeBookedRange(window: { start: number; end: number }) {
  return { start: window.start - LIMIT_REACH_MS, end: window.end + LIMIT_REACH_MS };
}

/** Busy time can block a start through the buffers, so the read reaches past the window by them and a margin. */
function readWindow(policy: AvailabilityPolicy, window: { start: number; end: number }) {
  return {
    readStart: window.start - policy.bufferBeforeMinutes * MINUTE_MS - READ_MARGIN_MS,
    readEnd: window.end + policy.bufferAfterMinutes * MINUTE_MS + READ_MARGIN_MS,
  };
}
