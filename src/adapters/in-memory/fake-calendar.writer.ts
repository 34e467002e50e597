// An Outlook calendar in memory for tests of booking use cases: events keyed by id, transactionId
// deduplication like Graph's, Teams links only for hosts who have them, and faults on demand (failing the
// call, or retried within it as Graph's client does).
import { randomUUID } from 'node:crypto';
import {
  CalendarUnavailable,
  CalendarWriter,
  type EventDraft,
  type OutlookEvent,
  type RetryListener,
  type WrittenEvent,
} from '@application/ports/calendar-writer.js';

interface StoredEvent extends OutlookEvent {
  hostId: string;
  transactionId: string;
  draft: EventDraft;
  comment: string | null;
  /** Outlook's version of the event: up by one at each of our writes. */
  version: number;
}

/** What Graph's `@odata.etag` is to the fake: the event's version. */
export const fakeChangeKey = (e: { eventId: string; version: number }) => `W/"${e.eventId}.${e.version}"`;

export class FakeCalendarWriter extends CalendarWriter {
  readonly events = new Map<string, StoredEvent>();
  /** Hosts without a Teams licence. */
  readonly noTeams = new Set<string>();
  /** The next N calls fail as Microsoft being unavailable (after doing the work when `afterWrite`). */
  private failures: { remaining: number; afterWrite: boolean; retryAfterSeconds?: number } | null = null;
  /** Faults the next write meets and retries within the call before it goes through. */
  private retried: { times: number; retryAfterSeconds?: number; during?: () => Promise<void> } | null = null;
  calls = 0;
  /** Events read back (readEvent). */
  reads = 0;

  /** The next write hears `times` faults it retries (told to `onRetry`), then `during` runs, then it succeeds. */
  retryWithinNext(
    times: number,
    options: { retryAfterSeconds?: number; during?: () => Promise<void> } = {},
  ): void {
    this.retried = { times, ...options };
  }

  private async retryWithin(onRetry: RetryListener | undefined): Promise<void> {
    const r = this.retried;
    if (!r) return;
    this.retried = null;
    for (let i = 0; i < r.times; i++)
      await onRetry?.(
        new CalendarUnavailable('Microsoft Graph answered 503 (retrying)', r.retryAfterSeconds),
      );
    await r.during?.();
  }

  failNext(times: number, options: { afterWrite?: boolean; retryAfterSeconds?: number } = {}): void {
    this.failures = {
      remaining: times,
      afterWrite: options.afterWrite ?? false,
      retryAfterSeconds: options.retryAfterSeconds,
    };
  }

  private maybeFail(stage: 'before' | 'after'): void {
    const f = this.failures;
    if (!f || f.remaining <= 0 || (stage === 'after') !== f.afterWrite) return;
    f.remaining--;
    throw new CalendarUnavailable('Microsoft Graph answered 503', f.retryAfterSeconds);
  }

  async createEvent(
    _workspaceId: string,
    hostId: string,
    draft: EventDraft,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    this.calls++;
    await this.retryWithin(onRetry);
    this.maybeFail('before');
    const existing = [...this.events.values()].find(
      (e) => e.hostId === hostId && e.transactionId === draft.transactionId,
    );
    const event =
      existing ??
      ({
        eventId: randomUUID(),
        hostId,
        transactionId: draft.transactionId,
        start: draft.start,
        end: draft.end,
        isCancelled: false,
        joinUrl:
          draft.location.kind === 'teams' && !this.noTeams.has(hostId)
            ? `https://teams.test/${randomUUID()}`
            : null,
        draft,
        comment: null,
        version: 1,
        declinedRooms: [],
        declinedAttendees: [],
      } satisfies StoredEvent);
    this.events.set(event.eventId, event);
    this.maybeFail('after');
    return { eventId: event.eventId, joinUrl: event.joinUrl, changeKey: fakeChangeKey(event) };
  }

  async moveEvent(
    _workspaceId: string,
    _hostId: string,
    eventId: string,
    start: Date,
    end: Date,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    this.calls++;
    await this.retryWithin(onRetry);
    this.maybeFail('before');
    const event = this.events.get(eventId);
    if (!event) throw new CalendarUnavailable('ErrorItemNotFound');
    Object.assign(event, { start, end, version: event.version + 1 });
    return { eventId, joinUrl: event.joinUrl, changeKey: fakeChangeKey(event) };
  }

  async changeRoom(
    _workspaceId: string,
    _hostId: string,
    eventId: string,
    change: {
      attendee: { name: string; email: string };
      coHosts?: { name: string; email: string }[];
      room: { email: string; name: string } | null;
      location?: { kind: string; value: string | null };
    },
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    this.calls++;
    await this.retryWithin(onRetry);
    this.maybeFail('before');
    const event = this.events.get(eventId);
    if (!event) throw new CalendarUnavailable('ErrorItemNotFound');
    Object.assign(event, {
      draft: {
        ...event.draft,
        attendee: change.attendee,
        // As Graph, the attendee list is replaced: co-hosts not sent again are dropped.
        coHosts: change.coHosts,
        room: change.room ? { ...change.room } : null,
      },
      declinedRooms: [],
      version: event.version + 1,
    });
    return { eventId, joinUrl: event.joinUrl, changeKey: fakeChangeKey(event) };
  }

  /** The event's room declines, as its calendar processing would (Outlook's version moves on). */
  declineRoom(eventId: string): void {
    const event = this.events.get(eventId)!;
    const room = event.draft.room?.email;
    if (!room) throw new Error('the event invites no room');
    Object.assign(event, { declinedRooms: [room], version: event.version + 1 });
  }

  /** An attendee (a co-host) answers the meeting in Outlook: declines, or accepts after all (Outlook's version moves on). */
  answerAsAttendee(eventId: string, email: string, response: 'accepted' | 'declined'): void {
    const event = this.events.get(eventId)!;
    const address = email.toLowerCase();
    const others = event.declinedAttendees.filter((a) => a !== address);
    Object.assign(event, {
      declinedAttendees: response === 'declined' ? [...others, address] : others,
      version: event.version + 1,
    });
  }

  async cancelEvent(
    _workspaceId: string,
    _hostId: string,
    eventId: string,
    comment: string,
    onRetry?: RetryListener,
  ): Promise<void> {
    this.calls++;
    await this.retryWithin(onRetry);
    this.maybeFail('before');
    const event = this.events.get(eventId);
    if (event) Object.assign(event, { isCancelled: true, comment });
  }

  async findByTransactionId(
    _workspaceId: string,
    hostId: string,
    transactionId: string,
  ): Promise<string | null> {
    return (
      [...this.events.values()].find((e) => e.hostId === hostId && e.transactionId === transactionId)
        ?.eventId ?? null
    );
  }

  async readEvent(_workspaceId: string, _hostId: string, eventId: string): Promise<OutlookEvent | null> {
    this.reads++;
    const e = this.events.get(eventId);
    return e
      ? {
          eventId: e.eventId,
          start: e.start,
          end: e.end,
          isCancelled: e.isCancelled,
          joinUrl: e.joinUrl,
          declinedRooms: [...e.declinedRooms],
          declinedAttendees: [...e.declinedAttendees],
        }
      : null;
  }
}
