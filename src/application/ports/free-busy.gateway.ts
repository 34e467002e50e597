// Free/busy from Microsoft 365: a host's own calendar plus the room and shared mailboxes that also block
// them, for one host or for a whole pool at once. A calendar that cannot be read is an error, never "free".
import type { CalendarFailureCode } from '@domain/availability/host-readiness.js';
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';
import type { BusyStatus } from '@domain/availability/slot-engine.js';

export interface ScheduleItem {
  /** Epoch milliseconds, half-open [start, end). */
  start: number;
  end: number;
  status: BusyStatus;
  /** The mailbox address the item comes from (the host's own, or a room / shared mailbox). */
  calendar: string;
}

/** ENCRYPTION_KEY_MISSING: the host's stored tokens are sealed under a key the service no longer has. */
export type HostScheduleFailureCode = CalendarFailureCode;

export type HostSchedule =
  | {
      ok: true;
      items: ScheduleItem[];
      /**
       * Epoch ms: when Microsoft 365 was read for these items, if not for this request (a cache's answer, even
       * on the miss that filled it). Absent: read now, for this request.
       */
      readAt?: number;
    }
  | {
      ok: false;
      code: HostScheduleFailureCode;
      detail: string;
      calendar?: string;
      /**
       * Microsoft withdrew the host's access during this read (code CONSENT_REVOKED): its verdict, for the
       * use case to record. The read itself records nothing. Absent for outages and throttling.
       */
      refusal?: MicrosoftFailure;
    };

export interface HostScheduleRequest {
  workspaceId: string;
  memberId: string;
  /** The host's own mailbox address. */
  mailbox: string;
  extraCalendars: string[];
  start: number;
  end: number;
  /** Skip any cache: bookings re-check against a fresh read. */
  fresh?: boolean;
  /**
   * What the caller read of the member's calendar with the rest of its data (`SlotsReadModel`): its
   * `CalendarVersions` version and whether a live subscription covers it. A cache judges its entries by
   * these instead of asking the database again.
   */
  calendarState?: { version: number; subscriptionLive: boolean };
  /**
   * A read of room mailboxes (`mailbox` and `extraCalendars` are rooms) with this member's token, not of the
   * member's calendar: no change notification covers it, and a cache keeps it apart from the member's own.
   */
  rooms?: boolean;
}

export abstract class FreeBusyGateway {
  /** One host's schedule, read with the host's own connection. */
  abstract hostSchedule(request: HostScheduleRequest): Promise<HostSchedule>;

  /**
   * A pool's schedules: one answer per request, in the requests' order, each what `hostSchedule` would
   * answer for it (failures and refusals included, each attributed to its own host only). An adapter may
   * read several hosts in one call (Graph: one connected host's token reads up to 20 mailboxes of the
   * tenant), falling back to a host's own read where that does not answer.
   */
  abstract poolSchedules(requests: readonly HostScheduleRequest[]): Promise<HostSchedule[]>;
}
