// A guest books a start of an event type. The start is re-checked against a fresh Microsoft 365 read and
// each host's rules; the booking and its calendar work commit together, and the database refuses any
// overlap for the host. Round robin offers the start to the least recently booked free host first and
// falls through to the next one if the database says the time was just taken, or the host just reached a
// limit of the event type (counted under the host's lock). A collective event type books every host at once:
// the first organises, the others are co-hosts, and the database refuses the time if any of them just lost
// it (no fall-through: the team is the team). A request made with an
// Idempotency-Key records it with the booking: a retry whose first request committed, then died before
// answering, is answered with that booking instead of being refused its own time. An event type with rooms
// takes the first room of its pool free for the meeting (a fresh read), the next when the database says a
// racing booking just took it; a required pool without a free room is an unavailable start, an optional one
// books without a room. One booking is one unit of work for the hosts' Microsoft access: each host's
// connection and consent are read once for its fresh read and its first calendar write (a revocation committed
// before the request is refused; one committed while it runs is the next request's to see).
import {
  Booking,
  roundRobinOrder,
  type BookingRoom,
  type CoHost,
  type Guest,
} from '@domain/booking/booking.js';
import { poolRefusalOf, refusalOf } from '@domain/availability/host-readiness.js';
import { computeSlots } from '@domain/availability/slot-engine.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { checkInstants } from '@domain/shared/instant.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { answersFor, type BookingAnswer } from '@domain/event-type/booking-question.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { ManageTokens } from '../ports/manage-tokens.js';
import { BookingRepository, IdempotencyKeyTaken, retryOnWriteConflict } from '../ports/booking.repository.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import { bookedWithFirstFreeRoom, freeRoomsFor, roomCandidates } from './booking-rooms.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { HostCalendars, type LoadedHost, type LoadOptions } from '../availability/host-calendars.js';
import { FIRST_ATTEMPT_LEASE_MS, FirstCalendarAttempt } from './first-calendar-attempt.js';
import type { CalendarSyncClaim } from '../ports/calendar-sync.queue.js';
import { BookingCommitter } from './booking-committer.js';
import { MemberAccessReadModel } from '../ports/member-access.read-model.js';

export interface BookSlotInput {
  workspaceId: string;
  eventTypeId: string;
  start: Date;
  guest: Guest;
  note: string | null;
  /** The guest's answers keyed by question id, checked against the event type's questions (absent: none). */
  answers?: unknown;
  /**
   * Digest of the request's Idempotency-Key (with its workspace, endpoint and body), made by the HTTP
   * adapter; null without one.
   */
  idempotencyKey?: string | null;
}

export const slotUnavailable = () =>
  new DomainError('SLOT_UNAVAILABLE', 'This time is not available (anymore). Please choose another slot.');

/** A host who offers the start, with the policy it was checked under (a booking keeps its buffers). */
export type OfferingHost = Pick<LoadedHost, 'hostId' | 'policy' | 'attendee'>;

/** The hosts who offer `start`, in the event type's order, checked with a fresh read of their calendars. */
export async function hostsOffering(
  hostCalendars: HostCalendars,
  eventType: EventType,
  start: number,
  now: Date,
  options: Pick<LoadOptions, 'hostIds' | 'ignoreBooking' | 'skipBookedOut'> = {},
): Promise<OfferingHost[]> {
  const end = start + eventType.durationMinutes * 60_000;
  const hosts = await hostCalendars.load(eventType, { start, end }, now, { ...options, fresh: true });
  return offeringAmong(hosts, eventType, start, now);
}

/** Of hosts loaded for the slot at `start`, those who offer it, in the event type's order. */
export function offeringAmong(
  hosts: LoadedHost[],
  eventType: EventType,
  start: number,
  now: Date,
): OfferingHost[] {
  const end = start + eventType.durationMinutes * 60_000;
  // A single host, or any host of a collective type (it needs every one), who cannot be checked refuses.
  const only =
    (eventType.assignment === 'single' && hosts.length === 1) || eventType.isCollective
      ? hosts.find((h) => h.problem)
      : undefined;
  if (only?.problem) throw refusalOf(only.hostId, only.problem);
  const usable = hosts.filter((h) => h.problem === null);
  if (usable.length === 0) {
    // Nobody could be checked because Microsoft 365 did not answer: say so (retryable), rather than "taken".
    const refusal = poolRefusalOf(hosts);
    if (refusal) throw refusal;
    return [];
  }
  const slots = computeSlots({
    now: now.getTime(),
    range: { start, end },
    event: eventType.slotPolicy(),
    hosts: usable.map((h) => h.availability),
    hostsNeeded: eventType.hostsNeeded,
  });
  const byId = new Map(usable.map((h) => [h.hostId, h]));
  return (slots.find((s) => s.start === start)?.hostIds ?? []).map((id) => byId.get(id)!);
}

/**
 * The order in which the hosts offering a start are tried: the event type's for a single host; for round
 * robin the least recently booked first (Teams-capable hosts first for a Teams meeting).
 */
export async function assignmentOrder(
  bookings: BookingRepository,
  connections: MicrosoftConnectionRepository,
  eventType: EventType,
  free: OfferingHost[],
): Promise<OfferingHost[]> {
  if (eventType.assignment !== 'round_robin') return free;
  const ids = free.map((h) => h.hostId);
  const [last, found] = await Promise.all([
    bookings.lastBookedAt(eventType.workspaceId, eventType.id, ids),
    connections.findByMembers(eventType.workspaceId, ids),
  ]);
  const teams = new Map(found.map((c) => [c.memberId, c.teamsEnabled]));
  const byId = new Map(free.map((h) => [h.hostId, h]));
  return roundRobinOrder(
    ids.map((hostId) => ({
      hostId,
      lastBookedAt: last.get(hostId) ?? null,
      teamsCapable: teams.get(hostId) ?? false,
    })),
    eventType.location.kind === 'teams',
  ).map((hostId) => byId.get(hostId)!);
}

/**
 * A booking request that failed, made with an Idempotency-Key digest `key`: the same request may already
 * have committed its booking (its process died before answering), or a twin of it (one whose owner was
 * wrongly thought dead) committed first: the time it took is this request's own, so that booking is the
 * answer — never SLOT_UNAVAILABLE, nor whatever changed since. Looked for only when an attempt fails: the
 * database refuses a second booking with the same key, and a start the booking took is refused from the
 * database read alone, so the usual request saves the lookup. Otherwise `error` is thrown again.
 */
/** Makes the booking with `book`; when it fails, the booking an earlier request with this key made, if any. */
export async function bookedOnce(
  bookings: BookingRepository,
  firstAttempt: FirstCalendarAttempt,
  workspaceId: string,
  key: string | null,
  book: () => Promise<Booking>,
): Promise<Booking> {
  try {
    return await book();
  } catch (error) {
    return earlierAnswer(bookings, firstAttempt, workspaceId, key, error);
  }
}

export async function earlierAnswer(
  bookings: BookingRepository,
  firstAttempt: FirstCalendarAttempt,
  workspaceId: string,
  key: string | null,
  error: unknown,
): Promise<Booking> {
  if (key === null || !(error instanceof DomainError || error instanceof IdempotencyKeyTaken)) throw error;
  const earlier = await bookings.findByIdempotencyKey(workspaceId, key);
  if (!earlier) throw error;
  return firstAttempt.resume(earlier);
}

/** A collective booking's co-hosts, each with the buffers of their own policy. */
export function coHostsOf(hosts: readonly OfferingHost[]): CoHost[] {
  return hosts.map(({ hostId, policy, attendee }) => ({
    hostId,
    name: attendee?.name ?? hostId,
    email: attendee?.email ?? null,
    bufferBeforeMinutes: policy.bufferBeforeMinutes,
    bufferAfterMinutes: policy.bufferAfterMinutes,
  }));
}

/** The co-hosts' zones, by id, for their limits. */
export function zonesOf(hosts: readonly OfferingHost[]): Record<string, string> {
  return Object.fromEntries(hosts.map(({ hostId, policy }) => [hostId, policy.timeZone]));
}

/** A new booking of the event type for a guest, with a fresh id, calendar transaction id and manage token. */
export function confirmBooking(
  ids: IdGenerator,
  tokens: ManageTokens,
  eventType: EventType,
  input: {
    hostId: string;
    coHosts?: CoHost[];
    start: Date;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    guest: Guest;
    note: string | null;
    answers: BookingAnswer[];
    room?: BookingRoom | null;
    now: Date;
  },
): Booking {
  const id = ids.next();
  const { hash, sealed } = tokens.issue(id);
  return Booking.confirm({
    ...input,
    id,
    workspaceId: eventType.workspaceId,
    eventTypeId: eventType.id,
    title: eventType.toSnapshot().title,
    location: { kind: eventType.location.kind, value: eventType.location.value ?? null },
    transactionId: ids.next(),
    manageToken: { hash, sealed },
  });
}

export class BookSlot {
  constructor(
    private readonly hostCalendars: HostCalendars,
    private readonly bookings: BookingRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly committer: BookingCommitter,
    private readonly firstAttempt: FirstCalendarAttempt,
    private readonly ids: IdGenerator,
    private readonly tokens: ManageTokens,
    private readonly clock: Clock,
    private readonly rooms: RoomCalendars,
    private readonly access: MemberAccessReadModel,
  ) {}

  async execute(input: BookSlotInput): Promise<Booking> {
    checkInstants({ start: input.start });
    Booking.checkGuest(input.guest, input.note);
    const key = input.idempotencyKey ?? null;
    return this.access.oncePerUnit(() =>
      bookedOnce(this.bookings, this.firstAttempt, input.workspaceId, key, () => this.book(input, key)),
    );
  }

  private async book(input: BookSlotInput, key: string | null): Promise<Booking> {
    const now = this.clock.now();
    const start = input.start.getTime();
    // One read of the database gives the event type and its hosts; a time kailenty has already booked is
    // refused from it alone, without asking Microsoft.
    let answers: BookingAnswer[] = [];
    const found = await this.hostCalendars.loadEventTypeAt(
      input.workspaceId,
      input.eventTypeId,
      start,
      now,
      { fresh: true, skipBookedOut: true },
      // Before anything is read from Microsoft or written: answers that do not fit are the guest's to fix.
      (eventType) => (answers = answersFor(eventType.questions, input.answers)),
    );
    if (!found) throw DomainError.notFound('Event type');
    const { eventType } = found;
    const free = offeringAmong(found.hosts, eventType, start, now);
    if (free.length === 0) throw slotUnavailable();
    const end = start + eventType.durationMinutes * 60_000;
    const candidates = roomCandidates(
      eventType,
      await freeRoomsFor(this.rooms, eventType, found.hosts, start, end, now),
    );
    if (candidates.length === 0) throw slotUnavailable();
    const order = await assignmentOrder(this.bookings, this.connections, eventType, free);

    // Collective: one booking of the whole team (offeringAmong gives every host or none).
    const teams = eventType.isCollective ? [order] : order.map((host) => [host]);
    for (const team of teams) {
      const made = await this.tryHosts(eventType, team, { ...input, answers }, key, now, candidates);
      if (made) return this.firstAttempt.run(made.booking, made.claim);
    }
    throw slotUnavailable();
  }

  /**
   * Books `hosts[0]`, with the others as co-hosts (collective), its calendar work claimed for the first attempt;
   * null when the database says the time is gone.
   */
  private async tryHosts(
    eventType: EventType,
    hosts: OfferingHost[],
    input: BookSlotInput & { answers: BookingAnswer[] },
    key: string | null,
    now: Date,
    rooms: readonly (BookingRoom | null)[],
  ): Promise<{ booking: Booking; claim: CalendarSyncClaim | null } | null> {
    const [{ hostId, policy }, ...others] = hosts;
    let claim: CalendarSyncClaim | null = null;
    // A room a racing booking took passes to the next; every room gone: no other host can have one either.
    const booking = await bookedWithFirstFreeRoom(
      rooms,
      async (room) => {
        const booking = confirmBooking(this.ids, this.tokens, eventType, {
          hostId,
          coHosts: coHostsOf(others),
          start: input.start,
          durationMinutes: eventType.durationMinutes,
          bufferBeforeMinutes: policy.bufferBeforeMinutes,
          bufferAfterMinutes: policy.bufferAfterMinutes,
          guest: input.guest,
          note: input.note,
          answers: input.answers,
          room,
          now,
        });
        claim = await retryOnWriteConflict(() =>
          this.committer.commit(booking, {
            insert: { idempotencyKey: key },
            calendarDueAt: now,
            claimCalendarWorkForMs: FIRST_ATTEMPT_LEASE_MS,
            limits: { limits: eventType.limits, timeZone: policy.timeZone, coHostTimeZones: zonesOf(others) },
          }),
        );
        return booking;
      },
      slotUnavailable,
    );
    return booking && { booking, claim };
  }
}
