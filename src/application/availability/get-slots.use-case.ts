// The bookable slots of an event type between two instants (API.md "Slots"): each host's policy and busy
// time through the slot engine, times written with the offset of the viewer's zone, and a warning for
// each host that offers nothing because its Microsoft 365 calendar cannot be used, and `asOf`: when the
// oldest free/busy read the slots rest on was made. An event type with a required room pool offers a start
// only when one of its rooms is free for it (room-filter.ts): free in Microsoft 365 and taken by none of
// kailenty's own bookings and live holds (read in the same statement as the hosts).
import { isTransient, refusalOf, warningOf, type HostWarning } from '@domain/availability/host-readiness.js';
import { computeSlots } from '@domain/availability/slot-engine.js';
import { withRooms } from '@domain/availability/room-filter.js';
import { formatInZone, zoneFormatter } from '@domain/availability/offset-time.js';
import { DAY_MS } from '@domain/availability/zoned-time.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { checkInstants } from '@domain/shared/instant.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '@domain/shared/time-zone.js';
import { Clock } from '../ports/clock.js';
import { HostCalendars } from './host-calendars.js';
import { RoomCalendars } from './room-calendars.js';

/** `end - start` may be at most this, exactly. */
export const MAX_SLOT_RANGE_MS = 62 * DAY_MS;

export interface SlotView {
  start: string;
  end: string;
  hostIds: string[];
}

export interface SlotsResult {
  timeZone: string;
  /**
   * The oldest Microsoft 365 read of the hosts offered (a cached one: when it was read), in the viewer's
   * zone; the time of the answer when no calendar was read.
   */
  asOf: string;
  slots: SlotView[];
  warnings: HostWarning[];
  /**
   * Asked for with `withHostZones`: the zone each host offering a slot works in (its policy's), as loaded
   * for the slots, so that a caller naming them needs no read of its own.
   */
  hostZones?: Record<string, string>;
}

export class GetSlots {
  constructor(
    private readonly hosts: HostCalendars,
    private readonly clock: Clock,
    private readonly rooms: RoomCalendars,
  ) {}

  async execute(input: {
    workspaceId: string;
    eventTypeId: string;
    start: Date;
    end: Date;
    timeZone?: string;
    withHostZones?: boolean;
  }): Promise<SlotsResult> {
    const timeZone = checkViewerZone(input.timeZone);
    checkInstants({ start: input.start, end: input.end });
    const start = input.start.getTime();
    const end = input.end.getTime();
    if (end <= start) throw DomainError.validation([{ field: 'end', message: 'must be after start' }]);
    if (end - start > MAX_SLOT_RANGE_MS) {
      throw new DomainError('RANGE_TOO_LARGE', 'end - start must be at most 62 days.', [
        { field: 'end', message: 'must be at most 62 × 24 hours after start' },
      ]);
    }
    const now = this.clock.now();
    const found = await this.hosts.loadEventType(input.workspaceId, input.eventTypeId, { start, end }, now);
    if (!found) throw DomainError.notFound('Event type');
    const { eventType, hosts, roomClaims } = found;
    // API.md: a single host who cannot be offered is refused (409, or 500 for lost tokens) rather than
    // answered with nothing; one Microsoft 365 did not answer for is a warning, as in a pool.
    // A collective type needs every host: one who cannot be offered is refused the same way, and one Microsoft
    // 365 did not answer for leaves no start (a warning says why).
    const refusing =
      hosts.length === 1 || eventType.isCollective
        ? hosts.find((h) => h.problem && !isTransient(h.problem))
        : undefined;
    if (refusing?.problem) throw refusalOf(refusing.hostId, refusing.problem);
    const usable = hosts.filter((h) => h.problem === null);
    let slots =
      usable.length === 0 || (eventType.isCollective && usable.length < hosts.length)
        ? []
        : computeSlots({
            now: now.getTime(),
            range: { start, end },
            event: eventType.slotPolicy(),
            hosts: usable.map((h) => h.availability),
            hostsNeeded: eventType.hostsNeeded,
          });
    const reads = usable.flatMap((h) => (h.readAt === null ? [] : [h.readAt]));
    // An optional pool takes no start away: its rooms are read when a booking picks one.
    const pool = eventType.rooms;
    if (pool?.required && slots.length > 0) {
      const rooms = await this.rooms.load({
        workspaceId: input.workspaceId,
        pool,
        readers: usable.map((h) => h.hostId),
        start,
        end,
        now,
        claims: roomClaims,
      });
      slots = withRooms(slots, rooms.rooms, true);
      if (rooms.readAt !== null) reads.push(rooms.readAt);
    }
    const format = zoneFormatter(timeZone, start, end + DAY_MS);
    return {
      timeZone,
      asOf: formatInZone(reads.length === 0 ? now.getTime() : Math.min(...reads), timeZone),
      slots: slots.map((s) => ({
        start: format(s.start),
        end: format(s.end),
        hostIds: s.hostIds,
      })),
      warnings: hosts.flatMap((h) => (h.problem ? [warningOf(h.hostId, h.problem)] : [])),
      ...(input.withHostZones
        ? {
            hostZones: Object.fromEntries(
              usable
                .filter((h) => slots.some((s) => s.hostIds.includes(h.hostId)))
                .map((h) => [h.hostId, h.policy.timeZone]),
            ),
          }
        : {}),
    };
  }
}

/** The viewer's zone as stored zones are spelled (canonical); UTC when none is given. */
export function checkViewerZone(timeZone: string | undefined): string {
  const zone = canonicalTimeZone(timeZone ?? 'UTC');
  if (zone === null) throw DomainError.validation([{ field: 'timeZone', message: TIME_ZONE_RULE }]);
  return zone;
}
