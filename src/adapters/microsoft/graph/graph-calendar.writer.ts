// Bookings in the host's Outlook calendar through Graph: the guest (and a collective booking's co-hosts) as
// required attendees (Microsoft 365 sends the invitations), a Teams meeting for Teams event types (no
// licence: the event still comes, without a link), transactionId on every create, times-only PATCH (a body
// would replace the Teams meeting), and the cancel action (attendees are told, the meeting goes with it).
// A booking's room is a resource attendee and the event's location.
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  CalendarUnavailable,
  CalendarWriter,
  type EventDraft,
  type OutlookEvent,
  type RetryListener,
  type WrittenEvent,
} from '@application/ports/calendar-writer.js';
import type { GraphCall } from '../microsoft-telemetry.js';
import type { GraphClients, MemberSessionOptions } from './graph-clients.js';

interface GraphEvent {
  id: string;
  '@odata.etag'?: string;
  start?: { dateTime: string; timeZone?: string };
  end?: { dateTime: string; timeZone?: string };
  isCancelled?: boolean;
  onlineMeeting?: { joinUrl?: string } | null;
  attendees?: { type?: string; emailAddress?: { address?: string }; status?: { response?: string } }[];
}

const UTC = { Prefer: 'outlook.timezone="UTC"' };

function graphTime(date: Date) {
  return { dateTime: date.toISOString().replace('Z', ''), timeZone: 'UTC' };
}

function utc(dateTime: string): Date {
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);
}

function retryAfterOf(error: GraphError): number | undefined {
  const value = error.headers?.get?.('retry-after');
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** Throttling and outages become retryable; refusals (revoked) and the rest pass through. */
function translate(error: unknown): never {
  if (
    error instanceof GraphError &&
    (error.statusCode === 429 || error.statusCode >= 500 || error.statusCode <= 0)
  ) {
    throw new CalendarUnavailable(
      `Microsoft Graph answered ${error.statusCode} ${error.code ?? ''}`.trim(),
      retryAfterOf(error),
    );
  }
  if (error instanceof GraphError) {
    throw new CalendarUnavailable(
      `Microsoft Graph refused the calendar write: ${error.statusCode} ${error.code}`,
    );
  }
  throw error;
}

/** A fault the graph client is about to retry, as the core hears of it. */
function retrying(onRetry: RetryListener | undefined): MemberSessionOptions {
  if (!onRetry) return {};
  return {
    onRetry: (call: GraphCall) => {
      const seconds = call.retryAfter === null ? NaN : Number(call.retryAfter);
      return onRetry(
        new CalendarUnavailable(
          `Microsoft Graph answered ${call.status} ${call.code ?? ''}`.trim() + ' (retrying)',
          Number.isFinite(seconds) ? seconds : undefined,
        ),
      );
    },
  };
}

function roomAttendee(room: { email: string; name: string }) {
  return { emailAddress: { address: room.email, name: room.name }, type: 'resource' };
}

const isGone = (error: unknown) =>
  error instanceof GraphError && (error.statusCode === 404 || error.code === 'ErrorItemNotFound');

export class GraphCalendarWriter extends CalendarWriter {
  constructor(private readonly graph: GraphClients) {
    super();
  }

  async createEvent(
    workspaceId: string,
    hostId: string,
    draft: EventDraft,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    const teams = draft.location.kind === 'teams';
    const body: Record<string, unknown> = {
      subject: draft.subject,
      body: { contentType: 'HTML', content: draft.bodyHtml },
      start: graphTime(draft.start),
      end: graphTime(draft.end),
      attendees: [
        ...(draft.coHosts ?? []).map((h) => ({
          emailAddress: { address: h.email, name: h.name },
          type: 'required',
        })),
        { emailAddress: { address: draft.attendee.email, name: draft.attendee.name }, type: 'required' },
      ],
      transactionId: draft.transactionId,
      allowNewTimeProposals: false,
    };
    if (teams) {
      body.isOnlineMeeting = true;
      body.onlineMeetingProvider = 'teamsForBusiness';
    } else if (draft.location.value) {
      body.location = { displayName: draft.location.value };
    }
    if (draft.room) {
      // The room is booked by inviting its mailbox as a resource; its calendar processing answers later.
      (body.attendees as unknown[]).push(roomAttendee(draft.room));
      body.location = { displayName: draft.room.name, locationEmailAddress: draft.room.email };
    }
    try {
      const event = await this.graph
        .forMember(workspaceId, hostId, retrying(onRetry))
        .request<GraphEvent>({ method: 'POST', path: '/me/events', body, headers: UTC });
      // No Teams licence is not an error: the event comes back without onlineMeeting.
      return {
        eventId: event.id,
        joinUrl: teams ? (event.onlineMeeting?.joinUrl ?? null) : null,
        changeKey: event['@odata.etag'] ?? null,
      };
    } catch (error) {
      return translate(error);
    }
  }

  async moveEvent(
    workspaceId: string,
    hostId: string,
    eventId: string,
    start: Date,
    end: Date,
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    try {
      const event = await this.graph.forMember(workspaceId, hostId, retrying(onRetry)).request<GraphEvent>({
        method: 'PATCH',
        path: `/me/events/${encodeURIComponent(eventId)}`,
        body: { start: graphTime(start), end: graphTime(end) },
        headers: UTC,
      });
      return {
        eventId: event.id ?? eventId,
        joinUrl: event.onlineMeeting?.joinUrl ?? null,
        changeKey: event['@odata.etag'] ?? null,
      };
    } catch (error) {
      return translate(error);
    }
  }

  async changeRoom(
    workspaceId: string,
    hostId: string,
    eventId: string,
    change: {
      attendee: { name: string; email: string };
      coHosts?: { name: string; email: string }[];
      room: { email: string; name: string } | null;
      location?: { kind: string; value: string | null };
    },
    onRetry?: RetryListener,
  ): Promise<WrittenEvent> {
    const { room } = change;
    // Without a room the event's place is the event type's again (a Teams meeting keeps its own, in the body).
    const place = change.location?.kind !== 'teams' ? (change.location?.value ?? '') : '';
    try {
      // Graph replaces the whole attendee list: the guest (and co-hosts) are sent again with the new room (no
      // body: the Teams meeting stays).
      const event = await this.graph.forMember(workspaceId, hostId, retrying(onRetry)).request<GraphEvent>({
        method: 'PATCH',
        path: `/me/events/${encodeURIComponent(eventId)}`,
        body: {
          attendees: [
            ...(change.coHosts ?? []).map((h) => ({
              emailAddress: { address: h.email, name: h.name },
              type: 'required',
            })),
            {
              emailAddress: { address: change.attendee.email, name: change.attendee.name },
              type: 'required',
            },
            ...(room ? [roomAttendee(room)] : []),
          ],
          location: room
            ? { displayName: room.name, locationEmailAddress: room.email }
            : { displayName: place },
        },
        headers: UTC,
      });
      return {
        eventId: event.id ?? eventId,
        joinUrl: event.onlineMeeting?.joinUrl ?? null,
        changeKey: event['@odata.etag'] ?? null,
      };
    } catch (error) {
      return translate(error);
    }
  }

  async cancelEvent(
    workspaceId: string,
    hostId: string,
    eventId: string,
    comment: string,
    onRetry?: RetryListener,
  ): Promise<void> {
    try {
      await this.graph.forMember(workspaceId, hostId, retrying(onRetry)).request({
        method: 'POST',
        path: `/me/events/${encodeURIComponent(eventId)}/cancel`,
        body: { comment },
      });
    } catch (error) {
      if (isGone(error)) return;
      translate(error);
    }
  }

  async findByTransactionId(
    workspaceId: string,
    hostId: string,
    transactionId: string,
    onRetry?: RetryListener,
  ): Promise<string | null> {
    try {
      const found = await this.graph
        .forMember(workspaceId, hostId, retrying(onRetry))
        .request<{ value: GraphEvent[] }>({
          method: 'GET',
          path: `/me/events?$filter=${encodeURIComponent(`transactionId eq '${transactionId.replace(/'/g, "''")}'`)}&$select=id`,
        });
      return found.value[0]?.id ?? null;
    } catch (error) {
      return translate(error);
    }
  }

  async readEvent(workspaceId: string, hostId: string, eventId: string): Promise<OutlookEvent | null> {
    try {
      const event = await this.graph.forMember(workspaceId, hostId).request<GraphEvent>({
        method: 'GET',
        path: `/me/events/${encodeURIComponent(eventId)}?$select=id,start,end,isCancelled,onlineMeeting,attendees`,
        headers: UTC,
      });
      return {
        eventId: event.id,
        start: utc(event.start!.dateTime),
        end: utc(event.end!.dateTime),
        isCancelled: Boolean(event.isCancelled),
        joinUrl: event.onlineMeeting?.joinUrl ?? null,
        declinedRooms: (event.attendees ?? [])
          .filter((a) => a.type === 'resource' && a.status?.response === 'declined')
          .map((a) => (a.emailAddress?.address ?? '').toLowerCase()),
        declinedAttendees: (event.attendees ?? [])
          .filter((a) => a.type !== 'resource' && a.status?.response === 'declined')
          .map((a) => (a.emailAddress?.address ?? '').toLowerCase()),
      };
    } catch (error) {
      if (isGone(error)) return null;
      return translate(error);
    }
  }
}
