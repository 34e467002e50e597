// The Model Context Protocol tools an agent calls, for one workspace: each a thin call of the use case the
// REST controller calls, answering the same JSON as REST in a text content. A refusal of the core (a
// DomainError) is a tool error whose text is the REST API's sentence after its stable code; arguments that do
// not fit a tool's schema are refused by the SDK before anything runs.
import { Logger } from '@nestjs/common';
import { McpServer, type ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DomainError, type ErrorCode } from '@domain/shared/domain-error.js';
import { INSTANT_RULE, parseInstant } from '@domain/shared/instant.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '@domain/shared/time-zone.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@application/shared/page.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking } from '@application/booking/get-booking.use-case.js';
import { ListBookings } from '@application/booking/list-bookings.use-case.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { ReleaseHold } from '@application/hold/release-hold.use-case.js';
import { HOLD_MAX_SECONDS } from '@domain/hold/hold.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { presentEventType } from '../http/availability-presenters.js';
import { presentPage, toPageRequest } from '../http/dto/page.dto.js';
import { presentHold } from '../http/dto/hold.dto.js';
import { IdempotentCalls } from '../http/idempotent-calls.js';
import { decidedProblem } from '../http/idempotency.interceptor.js';
import type { Problem } from '../http/problem-details.filter.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { Clock } from '@application/ports/clock.js';
import { requestWrote } from '../persistence/request-writes.js';
import type { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';

const MCP_SERVER_INFO = { name: 'kailenty', version: '1' };

const uuid = (what: string) => z.uuid({ error: 'must be a UUID' }).describe(what);
const instant = (what: string) =>
  z
    .string()
    .refine((s) => parseInstant(s) !== null, { error: INSTANT_RULE })
    .describe(what);
const zone = (what: string) =>
  z
    .string()
    .refine((s) => canonicalTimeZone(s) !== null, { error: TIME_ZONE_RULE })
    .describe(what);
const paging = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .optional()
    .describe(`At most this many items (1 to ${MAX_PAGE_LIMIT}, default ${DEFAULT_PAGE_LIMIT}).`),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('The nextCursor of the previous page, to read the next one.'),
};
const viewerZone = zone(
  'IANA time zone (e.g. Europe/Paris) whose offset the times of the answer are written with; default UTC. It changes how times are written, never which.',
).optional();

/** As the REST Idempotency-Key: the same key and arguments within 24 hours answer the first outcome. */
const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe(
    'Optional. A key of yours (1–255 characters) for this booking: calling again with the same key and arguments within 24 hours answers the first outcome (the same booking, or the same refusal) instead of booking twice; the same key with other arguments is IDEMPOTENCY_KEY_REUSED.',
  );

/** Who books and their message: the arguments `book` and `book_hold` share. */
const guestAndNote = {
  guest: z
    .object({
      name: z.string().describe('Who is booking (1 to 200 characters).'),
      email: z.string().describe('Their email address: Microsoft 365 sends the invitation there.'),
      timeZone: zone('The IANA time zone the guest reads times in.').optional(),
    })
    .describe('The person the meeting is with.'),
  note: z.string().optional().describe('A message for the host (at most 5000 characters).'),
};

/** The booking use cases' guest and note, from `guestAndNote`'s arguments. */
function bookedBy(guest: { name: string; email: string; timeZone?: string }, note: string | undefined) {
  return {
    guest: {
      name: guest.name,
      email: guest.email,
      timeZone: guest.timeZone === undefined ? null : canonicalTimeZone(guest.timeZone),
    },
    note: note ?? null,
  };
}

/** What a tool's callback is given: its arguments as the schema parsed them. */
type Args<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

const READ = { readOnlyHint: true, openWorldHint: false } as const;

/** The text of a tool error: the stable code, the REST API's sentence, and each refused field. */
export function toolErrorText(error: DomainError): string {
  const fields = error.errors.map((e) => `\n- ${e.field}: ${e.message}${e.code ? ` (${e.code})` : ''}`);
  return `${error.code}: ${error.message}${fields.join('')}`;
}

const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value) }],
});

export class McpTools {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly listEventTypes: ListEventTypes,
    private readonly getSlots: GetSlots,
    private readonly explainSlot: ExplainSlot,
    private readonly book: BookSlot,
    private readonly reschedule: RescheduleBooking,
    private readonly cancel: CancelBooking,
    private readonly getBooking: GetBooking,
    private readonly listBookings: ListBookings,
    private readonly resources: BookingResources,
    private readonly links: PublicLinks,
    private readonly placeHold: PlaceHold,
    private readonly releaseHold: ReleaseHold,
    private readonly bookHold: BookFromHold,
    idempotency: IdempotencyStore,
    clock: Clock,
    private readonly reads: WorkspaceReadCache,
  ) {
    this.calls = new IdempotentCalls(idempotency, clock);
  }

  private readonly calls: IdempotentCalls;

  /** A server whose tools act in `workspaceId` only (the workspace of the caller's API key). */
  serverFor(workspaceId: string): McpServer {
    const server = new McpServer(MCP_SERVER_INFO, {
      instructions:
        'Scheduling on Microsoft 365. Find an event type (list_event_types), ask find_slots for its bookable ' +
        'starts, then book one of those starts exactly as written (or place_hold it while you ask a person, ' +
        'then book_hold). Times are ISO 8601 with an offset or Z. ' +
        'A refusal is a tool error starting with a stable code (e.g. SLOT_UNAVAILABLE: choose another slot).',
    });
    this.tool(
      server,
      'list_event_types',
      'Lists the event types of the workspace (what can be booked: title, duration, location, hosts, questions), a page at a time.',
      paging,
      READ,
      async (input) => {
        const found = await this.listEventTypes.execute({ workspaceId, page: toPageRequest(input) });
        return presentPage(found, (e) => presentEventType(e, this.links));
      },
    );

    this.tool(
      server,
      'find_slots',
      'The bookable starts of an event type between start and end (at most 62 days apart), each with the hosts who offer it and the time zone each host works in; asOf is when the oldest Microsoft 365 calendar read they rest on was made. Warnings name hosts whose calendar cannot be used.',
      {
        eventTypeId: uuid('The event type (an id from list_event_types).'),
        start: instant('Slots start at or after this instant, e.g. 2026-12-01T00:00:00Z.'),
        end: instant('Slots end at or before this instant; at most 62 days after start.'),
        timeZone: viewerZone,
      },
      READ,
      async ({ eventTypeId, start, end, timeZone }) => {
        // The zones come with the slots, from the policies they were computed with: no read per host.
        const { hostZones, ...found } = await this.getSlots.execute({
          workspaceId,
          eventTypeId,
          start: parseInstant(start)!,
          end: parseInstant(end)!,
          timeZone,
          withHostZones: true,
        });
        // The REST answer, each slot's host ids written out as hosts with their zones.
        return {
          ...found,
          slots: found.slots.map(({ hostIds, ...slot }) => ({
            ...slot,
            hosts: hostIds.map((memberId) => ({ memberId, timeZone: hostZones![memberId]! })),
          })),
        };
      },
    );

    this.tool(
      server,
      'explain_time',
      'Why one start of an event type is or is not offered, per host, with every reason (outside hours, busy in Outlook, a booking, a buffer, notice, not connected, no free room of a required room pool…); for an event type with rooms, the room a booking would take.',
      {
        eventTypeId: uuid('The event type.'),
        at: instant('The start to explain, e.g. 2026-12-01T10:00:00+01:00.'),
        timeZone: viewerZone,
      },
      READ,
      ({ eventTypeId, at, timeZone }) =>
        this.explainSlot.execute({ workspaceId, eventTypeId, at: parseInstant(at)!, timeZone }),
    );

    this.tool(
      server,
      'book',
      "Books a start that find_slots offered. The start is checked again against the hosts' Microsoft 365 calendars (and its rooms', for an event type with rooms: the booking takes the first free room); the event is written to the host's Outlook calendar (a collective event type's first host, with the other hosts invited) and Microsoft 365 invites the guest. Answers the booking (with its Teams link when the write succeeded at once).",
      {
        eventTypeId: uuid('The event type.'),
        start: instant('A start find_slots offered, as it wrote it.'),
        ...guestAndNote,
        idempotencyKey,
        answers: z
          .record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()]))
          .optional()
          .describe(
            "Answers to the event type's questions, keyed by question id: text for text, long text, phone and single choice; a list of option texts for multiple choice; true or false for a checkbox.",
          ),
      },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      ({ idempotencyKey, ...args }) =>
        this.once(workspaceId, 'book', idempotencyKey, args, async (digest) =>
          this.resources.of(
            await this.book.execute({
              workspaceId,
              eventTypeId: args.eventTypeId,
              start: parseInstant(args.start)!,
              ...bookedBy(args.guest, args.note),
              answers: args.answers,
              idempotencyKey: digest,
            }),
          ),
        ),
    );

    this.tool(
      server,
      'place_hold',
      'Keeps a start find_slots offered for a few minutes, for everyone else, while you ask the person: it is checked as a booking is, then leaves the slots and no booking or other hold can take it until it expires or is released. book_hold turns it into the booking (and takes its room, for an event type with rooms). A collective event type (assignment collective: every host at once) cannot be held: book it directly.',
      {
        eventTypeId: uuid('The event type.'),
        start: instant('A start find_slots offered, as it wrote it.'),
        expiresInSeconds: z
          .number()
          .int()
          .min(1)
          .max(HOLD_MAX_SECONDS)
          .optional()
          .describe(`How long the hold lasts (1 to ${HOLD_MAX_SECONDS} seconds, default 300).`),
      },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      async ({ eventTypeId, start, expiresInSeconds }) =>
        presentHold(
          await this.placeHold.execute({
            workspaceId,
            eventTypeId,
            start: parseInstant(start)!,
            expiresInSeconds,
          }),
        ),
    );

    this.tool(
      server,
      'book_hold',
      'Books the time a live hold keeps, for this guest: no second check of the calendars is needed, the hold already owns the time. An expired or released hold is refused (HOLD_EXPIRED).',
      {
        holdId: uuid('The hold place_hold answered.'),
        ...guestAndNote,
        idempotencyKey,
      },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      ({ idempotencyKey, ...args }) =>
        this.once(workspaceId, 'book_hold', idempotencyKey, args, async (digest) =>
          this.resources.of(
            await this.bookHold.execute({
              workspaceId,
              holdId: args.holdId,
              ...bookedBy(args.guest, args.note),
              idempotencyKey: digest,
            }),
          ),
        ),
    );

    this.tool(
      server,
      'release_hold',
      'Releases a hold: its time is offered again at once.',
      { holdId: uuid('The hold.') },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      async ({ holdId }) => presentHold(await this.releaseHold.execute({ workspaceId, holdId })),
    );

    this.tool(
      server,
      'reschedule_booking',
      'Moves a booking to another start find_slots offers: the same booking, Outlook event and Teams link, at the new time.',
      {
        bookingId: uuid('The booking.'),
        start: instant('The new start, one find_slots offered.'),
      },
      { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      async ({ bookingId, start }) =>
        this.resources.of(
          await this.reschedule.execute({ workspaceId, bookingId, start: parseInstant(start)! }),
        ),
    );

    this.tool(
      server,
      'cancel_booking',
      'Cancels a booking: the Outlook event is cancelled with the reason, so Microsoft 365 tells the attendees.',
      {
        bookingId: uuid('The booking.'),
        reason: z.string().max(1000).optional().describe('Why, for the attendees (at most 1000 characters).'),
      },
      { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      async ({ bookingId, reason }) =>
        this.resources.of(await this.cancel.execute({ workspaceId, bookingId, reason: reason ?? null })),
    );

    this.tool(
      server,
      'get_booking',
      'One booking: status, times, host, guest, location (Teams link), answers and calendar sync state.',
      { bookingId: uuid('The booking.') },
      READ,
      async ({ bookingId }) => this.resources.of(await this.getBooking.execute({ workspaceId, bookingId })),
    );

    this.tool(
      server,
      'list_bookings',
      'Bookings of the workspace by start, filtered by time range, host and status, a page at a time.',
      {
        start: instant('Only bookings that end after this instant.').optional(),
        end: instant('Only bookings that start before this instant.').optional(),
        hostId: uuid('Only bookings of this host (a member id).').optional(),
        status: z.enum(['confirmed', 'cancelled']).optional().describe('Only bookings in this status.'),
        ...paging,
      },
      READ,
      async ({ start, end, hostId, status, ...rest }) => {
        const found = await this.listBookings.execute({
          workspaceId,
          filter: {
            start: start === undefined ? undefined : parseInstant(start)!,
            end: end === undefined ? undefined : parseInstant(end)!,
            hostId,
            status,
          },
          page: toPageRequest(rest),
        });
        return presentPage(found, (b) => this.resources.of(b));
      },
    );

    return server;
  }

  /**
   * A booking tool's work, made once per idempotency key as the REST Idempotency-Key makes it (IdempotentCalls):
   * the same key with the same arguments answers the first outcome again (a refusal too), other arguments
   * are IDEMPOTENCY_KEY_REUSED. Without a key the work just runs.
   */
  private async once(
    workspaceId: string,
    tool: string,
    key: string | undefined,
    args: unknown,
    work: (digest: string | null) => Promise<unknown>,
  ): Promise<unknown> {
    if (key === undefined) return work(null);
    const outcome = await this.calls.run({
      scope: `${workspaceId} MCP ${tool}`,
      key,
      args,
      status: 201,
      work,
      decided: (error) => decidedProblem(error, '/mcp'),
    });
    if (outcome.replayed && outcome.status >= 400) {
      const problem = outcome.body as Problem;
      throw new DomainError(problem.code as ErrorCode, problem.detail, problem.errors ?? []);
    }
    return outcome.body;
  }

  /** Registers a tool whose answer is JSON text and whose DomainError is a tool error naming its code. */
  private tool<Shape extends z.ZodRawShape>(
    server: McpServer,
    name: string,
    description: string,
    inputSchema: Shape,
    annotations: ToolAnnotations,
    run: (input: Args<Shape>) => Promise<unknown>,
  ): void {
    const callback = async (input: Args<Shape>): Promise<CallToolResult> => {
      const result = await this.answer(run, input);
      // As a route's answer (create-app.ts: the SDK writes this one, past the app's onSend hook): a call that
      // wrote is answered once every instance's read cache has heard of its writes, so the next call sees them.
      if (requestWrote()) await this.reads.settled();
      return result;
    };
    // The SDK types a callback through its own zod compatibility layer, which a generic shape does not get
    // through; what it passes is the schema's parse, Args<Shape>.
    server.registerTool(
      name,
      { description, inputSchema, annotations },
      callback as unknown as ToolCallback<Shape>,
    );
  }

  /** What `run` returns as JSON text; a DomainError as a tool error naming its code, anything else logged. */
  private async answer<Input>(
    run: (input: Input) => Promise<unknown>,
    input: Input,
  ): Promise<CallToolResult> {
    try {
      return json(await run(input));
    } catch (error) {
      if (error instanceof DomainError) {
        return { isError: true, content: [{ type: 'text', text: toolErrorText(error) }] };
      }
      // As the REST API answers a 500: logged here, and nothing of it told to the caller.
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
      return {
        isError: true,
        content: [
          { type: 'text', text: 'INTERNAL_ERROR: An unexpected error occurred. It has been logged.' },
        ],
      };
    }
  }
}
