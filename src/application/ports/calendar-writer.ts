// The host's Outlook calendar as bookings need it: create the event (with the guest as attendee, so
// Microsoft 365 sends the invitation, and a Teams meeting when asked), move it, cancel it, read it back.
import type { LocationKind } from '@domain/event-type/event-type.js';

export interface EventDraft {
  subject: string;
  bodyHtml: string;
  start: Date;
  end: Date;
  attendee: { name: string; email: string };
  /** A collective booking's co-hosts: required attendees too, invited by the same event (absent: none). */
  coHosts?: { name: string; email: string }[];
  location: { kind: LocationKind; value: string | null };
  /** A room to invite as a resource attendee, its name as the event's location; null for none. */
  room?: { email: string; name: string } | null;
  /** Sent as Graph's transactionId: a retried POST returns the first event instead of a second one. */
  transactionId: string;
}

export interface WrittenEvent {
  eventId: string;
  /** Null when the host cannot create Teams meetings (no licence): not an error. */
  joinUrl: string | null;
  /**
   * Outlook's version of the event right after this write (Graph's `@odata.etag`), null when not told: a change
   * notification that carries it is this very write coming back.
   */
  changeKey: string | null;
}

export interface OutlookEvent {
  eventId: string;
  start: Date;
  end: Date;
  isCancelled: boolean;
  joinUrl: string | null;
  /** Rooms invited as resources that declined (their calendar processing's answer), addresses in lower case. */
  declinedRooms: string[];
  /** People invited (required or optional attendees, not resources) whose answer is a decline, addresses in lower case. */
  declinedAttendees: string[];
}

/** A fault worth retrying (throttling, outage), with Microsoft's Retry-After when it gave one. */
export class CalendarUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CalendarUnavailable';
  }
}

/**
 * Told of each fault the writer retries within a call (Microsoft throttling or out of service, answered
 * before the call itself succeeds or fails), so that the booking can show it while the write goes on.
 */
export type RetryListener = (fault: CalendarUnavailable) => Promise<void>;

export abstract class CalendarWriter {
  abstract createEvent(
    workspaceId: string,
    hostId: string,
    draft: EventDraft,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent>;
  abstract moveEvent(
    workspaceId: string,
    hostId: string,
    eventId: string,
    start: Date,
    end: Date,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent>;
  /**
   * Invites this room instead of the one before (the guest stays), its name the location; `room: null` takes
   * the room off the event (a reschedule that found no free room of an optional pool), the event type's
   * `location` its location again.
   */
  abstract changeRoom(
    workspaceId: string,
    hostId: string,
    eventId: string,
    change: {
      attendee: { name: string; email: string };
      /** A collective booking's co-hosts, invited again (Graph replaces the whole attendee list). */
      coHosts?: { name: string; email: string }[];
      room: { email: string; name: string } | null;
      /** The event type's place, for an event left without a room. */
      location?: { kind: string; value: string | null };
    },
    onRetry?: RetryListener,
  ): Promise<WrittenEvent>;
  /** Cancels with a message to attendees; an event already gone counts as cancelled. */
  abstract cancelEvent(
    workspaceId: string,
    hostId: string,
    eventId: string,
    comment: string,
    onRetry?: RetryListener,
  ): Promise<void>;
  abstract findByTransactionId(
    workspaceId: string,
    hostId: string,
    transactionId: string,
    onRetry?: RetryListener,
  ): Promise<string | null>;
  /** Null when the event no longer exists. */
  abstract readEvent(workspaceId: string, hostId: string, eventId: string): Promise<OutlookEvent | null>;
}
