// Gathers what the slot engine needs about each host of an event type: their policy (stored or default),
// whether their Microsoft connection works, their busy time from Microsoft 365 (own calendar and extra
// calendars, filtered by the policy) and from kailenty's own bookings. A host whose calendar cannot be
// read offers nothing: unreadable is never free.
import { AvailabilityPolicy, type CalendarItem } from '@domain/availability/availability-policy.js';
import type { BusyInterval, HostAvailability } from '@domain/availability/slot-engine.js';
import { DAY_MS, MINUTE_MS } from '@domain/availability/zoned-time.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { EventType } from '@domain/event-type/event-type.js';
import type { Member, MemberStatus } from '@domain/member/member.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AvailabilityPolicyRepository } from '../ports/availability-policy.repository.js';
import { BookedTimeReader } from '../ports/booked-time.reader.js';
import {
  FreeBusyGateway,
  type HostSchedule,
  type HostScheduleFailureCode,
} from '../ports/free-busy.gateway.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';

export type HostWarningCode = HostScheduleFailureCode | 'ACCOUNT_NOT_ACTIVE';

/** A host that offers nothing, named in the response (API.md: `warnings: [{ code, memberId }]`). */
export interface HostWarning {
  code: HostWarningCode;
  memberId: string;
}

/** Why a host offers nothing at all, before any rule of their policy is looked at. */
export type HostProblem =
  | { kind: 'member_not_active'; memberStatus: MemberStatus }
  | { kind: 'not_connected' }
  | { kind: 'consent_revoked'; connection: 'revoked' | 'reauthorization_required' }
  | { kind: 'calendar_unreadable'; code: HostScheduleFailureCode; detail: string; calendar?: string };

export interface LoadedHost {
  hostId: string;
  policy: AvailabilityPolicy;
  /** The engine's input: hours and policy, with the blocking busy time (none when there is a problem). */
  availability: HostAvailability;
  problem: HostProblem | null;
  /** Calendar items read but not blocking under the policy (e.g. `free`), for explanations. */
  ignored: CalendarItem[];
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

export function warningOf(hostId: string, problem: HostProblem): HostWarning {
  const code: HostWarningCode =
    problem.kind === 'member_not_active'
      ? 'ACCOUNT_NOT_ACTIVE'
      : problem.kind === 'not_connected'
        ? 'MICROSOFT_NOT_CONNECTED'
        : problem.kind === 'consent_revoked'
          ? 'CONSENT_REVOKED'
          : problem.code;
  return { code, memberId: hostId };
}

/** Free/busy is read this much beyond the buffered window, so items that start or end nearby are seen. */
const READ_MARGIN_MS = DAY_MS;

const FAILURE_CODES: readonly HostScheduleFailureCode[] = [
  'MICROSOFT_NOT_CONNECTED',
  'CONSENT_REVOKED',
  'MICROSOFT_UNAVAILABLE',
  'RATE_LIMITED',
  'ENCRYPTION_KEY_MISSING',
];

export interface LoadOptions {
  /** Read Microsoft 365 now, past any cache: a booking re-checks its slot this way. */
  fresh?: boolean;
  /** Only these hosts (of the event type). */
  hostIds?: readonly string[];
  /**
   * A booking being rescheduled: its own time must not block its new time, neither in kailenty nor as its
   * event in its host's Outlook (`outlookEvent`: where that event is, when it is known to exist).
   */
  ignoreBooking?: { id: string; hostId: string; outlookEvent: { start: number; end: number } | null };
}

export class HostCalendars {
  constructor(
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly policies: AvailabilityPolicyRepository,
    private readonly freeBusy: FreeBusyGateway,
    private readonly booked: BookedTimeReader,
  ) {}

  /** Every host of the event type, in its order, for starts whose slots lie in [window.start, window.end]. */
  async load(
    eventType: EventType,
    window: { start: number; end: number },
    now: Date,
    options: LoadOptions = {},
  ): Promise<LoadedHost[]> {
    const workspaceId = eventType.workspaceId;
    const hostIds = eventType.hostIds.filter((id) => !options.hostIds || options.hostIds.includes(id));
    const [members, connections, policies] = await Promise.all([
      this.members.findByIds(workspaceId, hostIds),
      this.connections.findByMembers(workspaceId, hostIds),
      this.policies.findByMembers(workspaceId, hostIds),
    ]);
    const memberById = new Map(members.map((m) => [m.id, m]));
    const connectionById = new Map(connections.map((c) => [c.memberId, c]));
    const policyById = new Map(policies.map((p) => [p.memberId, p]));

    const hosts = hostIds.map((hostId) => {
      const connection = connectionById.get(hostId) ?? null;
      const policy = policyOrDefault(policyById.get(hostId) ?? null, {
        workspaceId,
        memberId: hostId,
        connection,
        now,
      });
      const member = memberById.get(hostId);
      if (!member) throw DomainError.notFound(`Host ${hostId}`);
      return { hostId, member, connection, policy, ...readWindow(policy, window) };
    });

    const readable = hosts.filter((h) => hostProblem(h.member, h.connection) === null);
    const [schedules, bookings] = await Promise.all([
      Promise.all(
        readable.map((h) =>
          this.schedule({
            workspaceId,
            memberId: h.hostId,
            mailbox: h.connection!.mailbox,
            extraCalendars: [...h.policy.extraCalendars],
            start: h.readStart,
            end: h.readEnd,
            fresh: options.fresh,
          }),
        ),
      ),
      readable.length === 0
        ? Promise.resolve(new Map<string, never[]>())
        : this.booked.busyFor(
            workspaceId,
            readable.map((h) => h.hostId),
            Math.min(...readable.map((h) => h.readStart)),
            Math.max(...readable.map((h) => h.readEnd)),
          ),
    ]);
    const scheduleById = new Map(readable.map((h, i) => [h.hostId, schedules[i]]));

    return hosts.map((h): LoadedHost => {
      const schedule = scheduleById.get(h.hostId);
      let problem = hostProblem(h.member, h.connection);
      if (!problem && schedule && !schedule.ok) {
        problem = { kind: 'calendar_unreadable', code: schedule.code, detail: schedule.detail };
        if (schedule.calendar !== undefined) problem.calendar = schedule.calendar;
      }
      if (problem || !schedule?.ok) {
        return {
          hostId: h.hostId,
          policy: h.policy,
          availability: h.policy.toHostAvailability(h.hostId, []),
          problem,
          ignored: [],
        };
      }
      const busy: BusyInterval[] = [];
      const ignored: CalendarItem[] = [];
      const own = options.ignoreBooking;
      // getSchedule's items carry no event id, so the booking's own event is recognised by all that is known
      // of it: one item, on its own host's calendar (not a room's), exactly at the times last written to it.
      let ownEvent = own?.hostId === h.hostId ? own.outlookEvent : null;
      const mailbox = h.connection!.mailbox.toLowerCase();
      for (const item of schedule.items) {
        if (
          ownEvent &&
          item.start === ownEvent.start &&
          item.end === ownEvent.end &&
          item.calendar.toLowerCase() === mailbox
        ) {
          ownEvent = null;
          continue;
        }
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
      for (const booking of bookings.get(h.hostId) ?? []) {
        if (own && booking.bookingId === own.id) continue;
        busy.push({ start: booking.start, end: booking.end, source: 'booking', id: booking.bookingId });
      }
      return {
        hostId: h.hostId,
        policy: h.policy,
        availability: h.policy.toHostAvailability(h.hostId, busy),
        problem: null,
        ignored,
      };
    });
  }

  /** The host's stored policy, else the default one (a booking keeps the buffers it was made with). */
  async policyFor(workspaceId: string, hostId: string, now: Date): Promise<AvailabilityPolicy> {
    const [stored, connection] = await Promise.all([
      this.policies.findByMembers(workspaceId, [hostId]),
      this.connections.findByMembers(workspaceId, [hostId]),
    ]);
    return policyOrDefault(stored[0] ?? null, {
      workspaceId,
      memberId: hostId,
      connection: connection[0] ?? null,
      now,
    });
  }

  /** A gateway that throws instead of answering a failure is still a failure, never "free". */
  private async schedule(request: Parameters<FreeBusyGateway['hostSchedule']>[0]): Promise<HostSchedule> {
    try {
      return await this.freeBusy.hostSchedule(request);
    } catch (error) {
      const code =
        error instanceof DomainError && (FAILURE_CODES as readonly string[]).includes(error.code)
          ? (error.code as HostScheduleFailureCode)
          : 'MICROSOFT_UNAVAILABLE';
      return { ok: false, code, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

function hostProblem(member: Member, connection: MicrosoftConnection | null): HostProblem | null {
  if (!member.isActive) return { kind: 'member_not_active', memberStatus: member.status };
  if (!connection) return { kind: 'not_connected' };
  if (connection.status !== 'connected') return { kind: 'consent_revoked', connection: connection.status };
  return null;
}

/** Busy time can block a start through the buffers, so the read reaches past the window by them and a margin. */
function readWindow(policy: AvailabilityPolicy, window: { start: number; end: number }) {
  return {
    readStart: window.start - policy.bufferBeforeMinutes * MINUTE_MS - READ_MARGIN_MS,
    readEnd: window.end + policy.bufferAfterMinutes * MINUTE_MS + READ_MARGIN_MS,
  };
}

/**
 * API.md's rule for a single-host request: a host who is not connected, or whose consent was revoked,
 * is a 409 rather than an empty answer (in a pool that host is only named in `warnings`).
 */
export function assertSingleHostUsable(hosts: readonly LoadedHost[]): void {
  if (hosts.length !== 1 || !hosts[0].problem) return;
  const warning = warningOf(hosts[0].hostId, hosts[0].problem);
  if (warning.code === 'MICROSOFT_NOT_CONNECTED') {
    throw new DomainError(
      'MICROSOFT_NOT_CONNECTED',
      `The host ${warning.memberId} has not connected their Microsoft 365 account.`,
    );
  }
  if (warning.code === 'CONSENT_REVOKED') {
    throw new DomainError(
      'CONSENT_REVOKED',
      `The host ${warning.memberId} must reconnect their Microsoft 365 account: access was revoked or needs re-authorization.`,
    );
  }
  // The service cannot open the host's stored tokens: its configuration is at fault, and says so (500).
  if (hosts[0].problem.kind === 'calendar_unreadable' && warning.code === 'ENCRYPTION_KEY_MISSING') {
    throw new DomainError('ENCRYPTION_KEY_MISSING', hosts[0].problem.detail);
  }
  if (warning.code === 'ACCOUNT_NOT_ACTIVE') {
    throw new DomainError('ACCOUNT_NOT_ACTIVE', `The host ${warning.memberId} is not an active member.`);
  }
}
