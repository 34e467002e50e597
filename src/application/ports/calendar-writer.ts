// The host's Outlook calendar as bookings need it: create the event (with the guest as attendee, so
// Microsoft 365 sends the invitation, and a Teams meeting when asked), move it, cancel it, read it back.
import type { LocationKind } from '@domain/event-type/event-type.js';

export interface EventDraft {
  subject: string;
  bodyHtml: string;
  start: Date;
  end: Date;
  attendee: { name: string; email: string };
  location: { kind: LocationKind; value: string | null };
  /** Sent as Graph's transactionId: a retried POST returns the first event instead of a second one. */
  transactionId: string;
}

export interface WrittenEvent {
  eventId: string;
  /** Null when the host cannot create Teams meetings (no licence): not an error. */
  joinUrl: string | null;
}

export interface OutlookEvent {
  eventId: string;
  start: Date;
  end: Date;
  isCancelled: boolean;
  joinUrl: string | null;
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

export abstract class CalendarWriter {
  abstract createEvent(workspaceId: string, hostId: string, draft: EventDraft): Promise<WrittenEvent>;
  abstract moveEvent(
    workspaceId: string,
    hostId: string,
    eventId: string,
    start: Date,
    end: Date,
  ): Promise<WrittenEvent>;
  /** Cancels with a message to attendees; an event already gone counts as cancelled. */
  abstract cancelEvent(workspaceId: string, hostId: string, eventId: string, comment: string): Promise<void>;
  abstract findByTransactionId(
    workspaceId: string,
    hostId: string,
    transactionId: string,
  ): Promise<string | null>;
  /** Null when the event no longer exists. */
  abstract readEvent(workspaceId: string, hostId: string, eventId: string): Promise<OutlookEvent | null>;
}
