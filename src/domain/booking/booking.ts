// A booking: a guest's confirmed time with one host, written to the host's Outlook calendar — or, for a
// collective event type, with a team of hosts: the first organises the one Outlook event, the others
// (co-hosts) are its required attendees. The time it takes from each host (with the buffers that host's
// policy gave it) is what the database keeps free of overlaps.
import type { DeepReadonly } from '../shared/deep-readonly.js';
import { plainCopy } from '../shared/plain-copy.js';
import { DomainError } from '../shared/domain-error.js';
import { Checks, isEmail } from '../shared/validation.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '../shared/time-zone.js';
import type { LocationKind } from '../event-type/event-type.js';
import type { BookingAnswer } from '../event-type/booking-question.js';

export type BookingStatus = 'confirmed' | 'cancelled';
export type SyncStatus = 'pending' | 'synced' | 'failed';
export type CancelledBy = 'guest' | 'host';
export type BookingWarningCode =
  'TEAMS_LICENCE_MISSING' | 'CALENDAR_MOVE_CONFLICT' | 'ROOM_UNAVAILABLE' | 'HOST_DECLINED';

/** Warnings a calendar write neither makes nor clears: answers Outlook gave, kept until Outlook says otherwise. */
const ANSWER_WARNINGS: readonly BookingWarningCode[] = ['ROOM_UNAVAILABLE', 'HOST_DECLINED'];

/** The room a booking takes: invited to its Outlook event as a resource attendee, its name as the location. */
export interface BookingRoom {
  email: string;
  name: string;
}

export interface Guest {
  name: string;
  email: string;
  timeZone: string | null;
}

export interface BookingLocation {
  kind: LocationKind;
  value: string | null;
  joinUrl: string | null;
}

export interface CalendarSync {
  eventId: string | null;
  /** Sent with the event POST so that a retried POST never creates a second event. */
  transactionId: string;
  syncStatus: SyncStatus;
  lastError: string | null;
  /** The times Outlook has for the event, to know whether it must be moved. */
  writtenStart: Date | null;
  writtenEnd: Date | null;
  /**
   * Outlook's version of the event after our last write (Graph's `@odata.etag`); null or absent when unknown
   * (not written yet, moved in Outlook, or written before it was kept).
   */
  writtenChangeKey?: string | null;
  /** The event was cancelled in Outlook (by us, or by the host). */
  eventCancelled: boolean;
  /** Outlook's times for the event when the host moved it onto another booking (ISO; absent: none). */
  outlookConflict?: { start: string; end: string } | null;
  /** The room the Outlook event invites (address), null or absent for none. */
  writtenRoom?: string | null;
  /** Rooms that declined the meeting (addresses), never offered to it again; absent: none. */
  declinedRooms?: string[];
  /** Co-hosts whose answer to the meeting in Outlook is a decline (host ids, in the booking's order); absent: none. */
  declinedHosts?: string[];
  /** Events left on a former host's calendar after a reassignment, still to be cancelled. */
  obsoleteEvents: { hostId: string; eventId: string | null; transactionId: string }[];
}

/**
 * The guest's manage link, as kept: the SHA-256 of its token (to find the booking by it) and the token
 * sealed for this booking (to write the link again). Null for bookings made before manage links existed.
 */
export interface ManageTokenRef {
  hash: string;
  sealed: string;
}

/**
 * What happened to a booking, as its transitions record it: the webhooks' events, in the order they
 * happened. `sequence` numbers the booking's facts 1, 2, 3 … (stored with the booking, and unique per
 * booking in the database, so two writers can never both tell fact N).
 */
export type BookingFact = { sequence: number; occurredAt: Date } & (
  | { type: 'booking.created' }
  | { type: 'booking.updated' }
  | { type: 'booking.rescheduled' }
  | { type: 'booking.cancelled' }
  | { type: 'booking.reminder' }
  | { type: 'booking.calendar_changed'; change: 'deleted' }
  /** `outlook`: Outlook's times when the move could not be followed (CALENDAR_MOVE_CONFLICT). */
  | { type: 'booking.calendar_changed'; change: 'moved'; outlook: { start: Date; end: Date } | null }
);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A host of a collective booking besides its organiser, with the buffers of their own policy, and how the
 * event invites them (a required attendee: their name and mailbox when booked; null email: none known).
 */
export interface CoHost {
  hostId: string;
  name: string;
  email: string | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** The time a booking takes from one of its hosts (buffers included). */
export interface HostBlock {
  hostId: string;
  start: Date;
  end: Date;
}

export interface BookingSnapshot {
  id: string;
  workspaceId: string;
  eventTypeId: string;
  /** The host whose calendar holds the event (the organiser of a collective booking). */
  hostId: string;
  /** A collective booking's other hosts, in the event type's order; empty otherwise. */
  coHosts: CoHost[];
  status: BookingStatus;
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  guest: Guest;
  note: string | null;
  /** The guest's answers to the event type's questions (checked by answersFor), kept as given: a move keeps them. */
  answers: BookingAnswer[];
  title: string;
  location: BookingLocation;
  /** The room it takes (rooms.ts of the event type); null or absent for none. The database keeps a room's meetings apart. */
  room?: BookingRoom | null;
  warnings: BookingWarningCode[];
  calendar: CalendarSync;
  cancelledBy: CancelledBy | null;
  cancellationReason: string | null;
  /** Whether booking.created has been published (the first calendar attempt decides what it carries). */
  announced: boolean;
  manageToken: ManageTokenRef | null;
  /** Revision of what the guest's calendar holds (iCalendar SEQUENCE): up by one at each move or cancel. */
  sequence: number;
  /** The number of the booking's last recorded fact (0: none yet). */
  factSequence: number;
  /** When booking.reminder went out for the current start (null: not yet; a new start resets it). */
  reminderSentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MAX_NOTE_LENGTH = 5000;

/**
 * The host's time a meeting takes with its buffers: [start − before, end + after). A booking and a hold
 * take the same (a hold becomes the booking in its place).
 */
export function blockedTime(meeting: {
  start: Date;
  end: Date;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}): { start: Date; end: Date } {
  return {
    start: new Date(meeting.start.getTime() - meeting.bufferBeforeMinutes * 60_000),
    end: new Date(meeting.end.getTime() + meeting.bufferAfterMinutes * 60_000),
  };
}

export class Booking {
  private facts: BookingFact[] = [];

  /** Where the booking blocked time when it was loaded (`host start end` per host); null for a new booking. */
  private readonly loadedTime: string | null;
  private readonly loadedRoom: string | null;

  private constructor(
    private state: BookingSnapshot,
    private readonly loaded: boolean,
  ) {
    this.loadedTime = loaded ? this.timeKey() : null;
    this.loadedRoom = loaded ? this.roomKey() : null;
  }

  private roomKey(): string | null {
    if (this.state.status !== 'confirmed' || !this.state.room) return null;
    return `${this.state.room.email.toLowerCase()} ${this.state.start.getTime()} ${this.state.end.getTime()}`;
  }

  private timeKey(): string | null {
    if (this.state.status !== 'confirmed') return null;
    return this.hostBlocks.map((b) => `${b.hostId} ${b.start.getTime()} ${b.end.getTime()}`).join(' ');
  }

  /** Whether it was read from the store (not made by `confirm`). */
  get wasLoaded(): boolean {
    return this.loaded;
  }

  /** Whether the time the booking blocks (per host) differs from when it was loaded: new, moved, cancelled. */
  get blocksChanged(): boolean {
    return this.timeKey() !== this.loadedTime;
  }

  /**
   * Whether the booking now blocks time it did not block when loaded (new, moved, reassigned, or confirmed):
   * only such a write can meet another claim on that time (a hold), which must then be looked for.
   */
  get takesNewTime(): boolean {
    const now = this.timeKey();
    return now !== null && now !== this.loadedTime;
  }

  /**
   * Whether the booking now holds a room at a time it did not hold it when loaded (new, moved, another room):
   * only such a write can meet a live hold of that room, which must then be looked for.
   */
  get takesNewRoom(): boolean {
    const now = this.roomKey();
    return now !== null && now !== this.loadedRoom;
  }

  static confirm(input: {
    id: string;
    workspaceId: string;
    eventTypeId: string;
    hostId: string;
    /** A collective booking's other hosts (default: none). */
    coHosts?: CoHost[];
    start: Date;
    durationMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    guest: Guest;
    note: string | null;
    /** Default: none. */
    answers?: BookingAnswer[];
    title: string;
    location: { kind: LocationKind; value: string | null };
    /** The first room free for it, when the event type has rooms (default: none). */
    room?: BookingRoom | null;
    transactionId: string;
    manageToken: ManageTokenRef;
    now: Date;
  }): Booking {
    Booking.checkGuest(input.guest, input.note);
    const coHosts = (input.coHosts ?? []).map((h) => ({ ...h }));
    if (
      coHosts.some((h) => h.hostId === input.hostId) ||
      new Set(coHosts.map((h) => h.hostId)).size < coHosts.length
    )
      throw new DomainError('VALIDATION_FAILED', 'A booking names each of its hosts once.', [
        { field: 'hostIds', message: 'must not name a host twice' },
      ]);
    return new Booking(
      {
        id: input.id,
        workspaceId: input.workspaceId,
        eventTypeId: input.eventTypeId,
        hostId: input.hostId,
        coHosts,
        status: 'confirmed',
        start: input.start,
        end: new Date(input.start.getTime() + input.durationMinutes * 60_000),
        bufferBeforeMinutes: input.bufferBeforeMinutes,
        bufferAfterMinutes: input.bufferAfterMinutes,
        guest: {
          name: input.guest.name.trim(),
          email: input.guest.email.trim(),
          timeZone: input.guest.timeZone === null ? null : canonicalTimeZone(input.guest.timeZone),
        },
        note: input.note,
        answers: (input.answers ?? []).map((a) => ({
          ...a,
          value: Array.isArray(a.value) ? [...a.value] : a.value,
        })),
        title: input.title,
        // In-person and phone bookings carry their place and never a link.
        location: { kind: input.location.kind, value: input.location.value, joinUrl: null },
        room: input.room ? { ...input.room } : null,
        warnings: [],
        calendar: {
          eventId: null,
          transactionId: input.transactionId,
          syncStatus: 'pending',
          lastError: null,
          writtenStart: null,
          writtenEnd: null,
          eventCancelled: false,
          obsoleteEvents: [],
        },
        cancelledBy: null,
        cancellationReason: null,
        announced: false,
        manageToken: { ...input.manageToken },
        sequence: 0,
        factSequence: 0,
        reminderSentAt: null,
        createdAt: input.now,
        updatedAt: input.now,
      },
      false,
    );
  }

  static checkGuest(guest: Guest, note: string | null): void {
    new Checks()
      .text(guest?.name, 'guest.name', 200)
      .require(isEmail(guest?.email?.trim()), 'guest.email', 'must be an email address')
      .require(
        guest?.timeZone === null || canonicalTimeZone(guest?.timeZone) !== null,
        'guest.timeZone',
        TIME_ZONE_RULE,
      )
      .require(
        note === null || note.length <= MAX_NOTE_LENGTH,
        'note',
        `must be at most ${MAX_NOTE_LENGTH} characters`,
      )
      .throwIfAny();
  }

  static fromSnapshot(snapshot: BookingSnapshot): Booking {
    return new Booking({ ...plainCopy(snapshot), coHosts: plainCopy(snapshot.coHosts ?? []) }, true);
  }

  /**
   * A snapshot made for this booking alone (a repository's freshly mapped row), taken as it is: no copy,
   * since nobody else holds it. Reads on the hot path (GET, lists) save a deep clone.
   */
  static fromOwnSnapshot(snapshot: BookingSnapshot): Booking {
    return new Booking(snapshot, true);
  }

  private record(fact: DistributiveOmit<BookingFact, 'sequence'>): void {
    this.state.factSequence++;
    this.facts.push({ ...fact, sequence: this.state.factSequence } as BookingFact);
  }

  /** The facts recorded since the booking was loaded (or last pulled), oldest first; forgets them. */
  pullFacts(): BookingFact[] {
    return this.facts.splice(0);
  }

  /** Facts recorded and not pulled yet (committing the booking writes them). */
  get pendingFacts(): readonly BookingFact[] {
    return this.facts;
  }

  /** The start moves: a reminder sent for the former start says nothing about the new one. */
  private moveTo(start: Date, end: Date): void {
    if (start.getTime() !== this.state.start.getTime()) this.state.reminderSentAt = null;
    this.state.start = start;
    this.state.end = end;
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get hostId(): string {
    return this.state.hostId;
  }
  /** Every host of the booking: the organiser first, then the co-hosts in the event type's order. */
  get hostIds(): string[] {
    return [this.state.hostId, ...this.state.coHosts.map((h) => h.hostId)];
  }
  get coHosts(): readonly CoHost[] {
    return this.state.coHosts;
  }
  get isCollective(): boolean {
    return this.state.coHosts.length > 0;
  }
  get eventTypeId(): string {
    return this.state.eventTypeId;
  }
  get status(): BookingStatus {
    return this.state.status;
  }
  get start(): Date {
    return this.state.start;
  }
  get end(): Date {
    return this.state.end;
  }
  get isConfirmed(): boolean {
    return this.state.status === 'confirmed';
  }
  get calendar(): CalendarSync {
    return this.state.calendar;
  }
  get location(): BookingLocation {
    return this.state.location;
  }
  get announced(): boolean {
    return this.state.announced;
  }
  get manageToken(): ManageTokenRef | null {
    return this.state.manageToken;
  }
  get sequence(): number {
    return this.state.sequence;
  }
  get factSequence(): number {
    return this.state.factSequence;
  }
  get reminderSentAt(): Date | null {
    return this.state.reminderSentAt;
  }
  get answers(): readonly BookingAnswer[] {
    return this.state.answers;
  }
  get room(): BookingRoom | null {
    return this.state.room ?? null;
  }

  /**
   * booking.reminder is due `reminderMinutes` before the start of a confirmed booking, once per start
   * (0 minutes: never). The database's claim looks for the same bookings; this decides.
   */
  reminderDue(now: Date, reminderMinutes: number): boolean {
    const start = this.state.start.getTime();
    return (
      this.state.status === 'confirmed' &&
      this.state.reminderSentAt === null &&
      start > now.getTime() &&
      start <= now.getTime() + reminderMinutes * 60_000
    );
  }

  /** Sends the reminder if it is due (recorded as booking.reminder); false when it is not. */
  remind(now: Date, reminderMinutes: number): boolean {
    if (!this.reminderDue(now, reminderMinutes)) return false;
    this.state.reminderSentAt = now;
    this.record({ type: 'booking.reminder', occurredAt: now });
    return true;
  }

  /**
   * booking.created, once: when the first calendar attempt has an outcome (written, failing, or too slow
   * to wait for), so that it carries the link in the normal case. False when it was already told.
   */
  announce(now: Date): boolean {
    if (this.state.announced) return false;
    this.state.announced = true;
    this.record({ type: 'booking.created', occurredAt: now });
    return true;
  }

  /**
   * A manage link stops leading anywhere once its booking is both cancelled and over: nothing is left to
   * do with it, and an old link in a mailbox should not reveal the booking forever.
   */
  manageLinkExpired(now: Date): boolean {
    return this.state.status === 'cancelled' && this.state.end.getTime() <= now.getTime();
  }

  /** The host's time this booking takes, buffers included: [start − before, end + after). */
  get blocked(): { start: Date; end: Date } {
    return blockedTime(this.state);
  }

  /** The time it takes from each of its hosts, the organiser first, each with their own buffers. */
  get hostBlocks(): HostBlock[] {
    const { start, end } = this.state;
    return [
      { hostId: this.state.hostId, ...blockedTime(this.state) },
      ...this.state.coHosts.map((h) => ({ hostId: h.hostId, ...blockedTime({ ...h, start, end }) })),
    ];
  }

  /**
   * Moves the booking to `start`. `room` (an event type with rooms): the room it takes at the new time, chosen
   * again (roomsToTry: its own when free there, else the first free one), null for none (an optional pool with
   * no room free); absent: it keeps its room. A room that declined the meeting before may be taken again at
   * another time: the declines were answers about the old time.
   */
  reschedule(input: { start: Date; hostId?: string; room?: BookingRoom | null; now: Date }): void {
    this.assertConfirmed();
    const duration = this.state.end.getTime() - this.state.start.getTime();
    this.moveTo(input.start, new Date(input.start.getTime() + duration));
    this.state.sequence++;
    if (input.hostId) this.state.hostId = input.hostId;
    if (input.room !== undefined) {
      this.state.room = input.room ? { ...input.room } : null;
      if (this.state.calendar.declinedRooms) this.state.calendar.declinedRooms = [];
      this.state.warnings = this.state.warnings.filter((w) => w !== 'ROOM_UNAVAILABLE');
    }
    if (this.state.calendar.eventId !== null) this.state.calendar.syncStatus = 'pending';
    this.state.updatedAt = input.now;
    this.record({ type: 'booking.rescheduled', occurredAt: input.now });
  }

  /**
   * The booking moves to another host: a new event on their calendar, the old one cancelled. It takes the
   * new host's buffers, as a booking made with them would; the link comes with the new event.
   */
  reassign(input: {
    hostId: string;
    transactionId: string;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    now: Date;
  }): void {
    const { hostId, transactionId, now } = input;
    // A collective booking belongs to its whole team: it moves in time, never to other hosts.
    if (this.isCollective)
      throw new DomainError('VALIDATION_FAILED', 'A collective booking keeps its hosts.', [
        { field: 'hostId', message: 'a collective booking cannot be reassigned' },
      ]);
    const old = this.state.calendar;
    this.state.calendar = {
      eventId: null,
      transactionId,
      syncStatus: 'pending',
      lastError: null,
      writtenStart: null,
      writtenEnd: null,
      eventCancelled: false,
      obsoleteEvents: [
        ...old.obsoleteEvents,
        ...(old.eventCancelled
          ? []
          : [{ hostId: this.state.hostId, eventId: old.eventId, transactionId: old.transactionId }]),
      ],
    };
    this.state.hostId = hostId;
    this.state.bufferBeforeMinutes = input.bufferBeforeMinutes;
    this.state.bufferAfterMinutes = input.bufferAfterMinutes;
    this.state.location.joinUrl = null;
    this.state.warnings = [];
    this.state.updatedAt = now;
  }

  obsoleteEventCancelled(transactionId: string): void {
    this.state.calendar.obsoleteEvents = this.state.calendar.obsoleteEvents.filter(
      (e) => e.transactionId !== transactionId,
    );
  }

  /** Where the booking's Outlook event is, when it is known to exist: the times last written to it. */
  get outlookEvent(): { start: Date; end: Date } | null {
    const c = this.state.calendar;
    if (c.eventId === null || c.eventCancelled || !c.writtenStart || !c.writtenEnd) return null;
    return { start: c.writtenStart, end: c.writtenEnd };
  }

  /** What the calendar must still be told: nothing, create, move, or cancel. */
  get calendarWork(): 'none' | 'create' | 'move' | 'cancel' | 'room' {
    const c = this.state.calendar;
    if (this.state.status === 'cancelled') return c.eventCancelled ? 'none' : 'cancel';
    if (c.eventId === null) return 'create';
    if (
      c.writtenStart?.getTime() !== this.state.start.getTime() ||
      c.writtenEnd?.getTime() !== this.state.end.getTime()
    )
      return 'move';
    // Another room took the place of one that declined, or a reschedule chose another room (or none): the
    // event must invite it instead. A room dropped because it declined stays as Exchange left it.
    const room = this.state.room?.email ?? null;
    const written = c.writtenRoom ?? null;
    if (room !== written && !(room === null && written !== null && this.declinedRooms.includes(written)))
      return 'room';
    return 'none';
  }

  /** Rooms that declined this meeting: a room the booking takes instead must be another. */
  get declinedRooms(): readonly string[] {
    return this.state.calendar.declinedRooms ?? [];
  }

  /**
   * The room the Outlook event invites declined the meeting (Exchange's calendar processing: taken, or its
   * policy refuses). `next`, the next room of the pool free for the meeting, takes its place (the event is
   * told by the calendar sync); with none, the booking stays confirmed without a room and says
   * ROOM_UNAVAILABLE. Either way booking.updated, never a silent loss. False when this room's decline is
   * already known (another notification of the same answer).
   */
  roomDeclined(room: string, next: BookingRoom | null, now: Date): boolean {
    const current = this.state.room ?? null;
    if (this.state.status !== 'confirmed' || current === null || current.email !== room) return false;
    this.state.calendar.declinedRooms = [...this.declinedRooms, room];
    if (next) {
      this.state.room = { ...next };
      this.state.calendar.syncStatus = 'pending';
    } else {
      this.state.room = null;
      if (!this.state.warnings.includes('ROOM_UNAVAILABLE'))
        this.state.warnings = [...this.state.warnings, 'ROOM_UNAVAILABLE'];
    }
    this.state.updatedAt = now;
    this.record({ type: 'booking.updated', occurredAt: now });
    return true;
  }

  /** The co-hosts who declined the meeting in Outlook (HOST_DECLINED), in the booking's order. */
  get declinedHosts(): readonly string[] {
    return this.state.calendar.declinedHosts ?? [];
  }

  /**
   * Outlook's answers of the co-hosts (the attendees of the organiser's event whose answer is a decline,
   * addresses in any case). The booking stays confirmed and keeps blocking every host: the guest was invited,
   * a person decides. A co-host who declines makes HOST_DECLINED (naming them) and booking.updated; the same
   * answers seen again (any later notification of the event) change nothing and return false; a co-host who
   * accepts after all takes their warning back (booking.updated again).
   */
  hostAnswers(declinedAddresses: readonly string[], now: Date): boolean {
    if (this.state.status !== 'confirmed') return false;
    const declined = new Set(declinedAddresses.map((a) => a.toLowerCase()));
    const hosts = this.state.coHosts
      .filter((h) => h.email !== null && declined.has(h.email.toLowerCase()))
      .map((h) => h.hostId);
    if (JSON.stringify(hosts) === JSON.stringify(this.declinedHosts)) return false;
    if (hosts.length > 0) this.state.calendar.declinedHosts = hosts;
    else delete this.state.calendar.declinedHosts;
    const others = this.state.warnings.filter((w) => w !== 'HOST_DECLINED');
    this.state.warnings = hosts.length > 0 ? [...others, 'HOST_DECLINED'] : others;
    this.state.updatedAt = now;
    this.record({ type: 'booking.updated', occurredAt: now });
    return true;
  }

  get needsCalendarWork(): boolean {
    return this.calendarWork !== 'none' || this.state.calendar.obsoleteEvents.length > 0;
  }

  cancel(input: { by: CancelledBy; reason: string | null; now: Date }): void {
    this.assertConfirmed();
    this.state.status = 'cancelled';
    this.state.sequence++;
    this.state.cancelledBy = input.by;
    this.state.cancellationReason = input.reason;
    // The Teams meeting goes with the cancelled event: its link leads nowhere any more.
    this.state.location.joinUrl = null;
    // The Outlook event is still there until the sync cancels it.
    if (!this.state.calendar.eventCancelled) this.state.calendar.syncStatus = 'pending';
    this.state.updatedAt = input.now;
    this.record({ type: 'booking.cancelled', occurredAt: input.now });
  }

  /** The event exists in Outlook at the booking's times (created or moved). */
  calendarWritten(input: {
    eventId: string;
    joinUrl: string | null;
    changeKey?: string | null;
    /** The room the write invited (absent: the write left the attendees as they were). */
    room?: string | null;
    start: Date;
    end: Date;
    now: Date;
  }): void {
    this.state.calendar = {
      ...this.state.calendar,
      eventId: input.eventId,
      syncStatus: 'synced',
      lastError: null,
      writtenStart: input.start,
      writtenEnd: input.end,
      writtenChangeKey: input.changeKey ?? null,
      ...(input.room !== undefined && { writtenRoom: input.room }),
    };
    if (this.state.location.kind === 'teams' && this.state.status === 'confirmed') {
      // A host without a Teams licence still gets the event, without a link: said, never silent.
      this.state.location.joinUrl = input.joinUrl;
      const answers = this.state.warnings.filter((w) => ANSWER_WARNINGS.includes(w));
      this.state.warnings = input.joinUrl ? answers : ['TEAMS_LICENCE_MISSING', ...answers];
    }
    this.state.updatedAt = input.now;
  }

  /** The Outlook event is cancelled (attendees told), or never existed. */
  calendarCancelled(now: Date): void {
    this.state.calendar = {
      ...this.state.calendar,
      eventCancelled: true,
      syncStatus: 'synced',
      lastError: null,
    };
    this.state.updatedAt = now;
  }

  calendarFailed(error: string, giveUpHope: boolean, now: Date): void {
    this.state.calendar = {
      ...this.state.calendar,
      syncStatus: giveUpHope
        ? 'failed'
        : this.state.calendar.syncStatus === 'synced'
          ? 'pending'
          : this.state.calendar.syncStatus,
      lastError: error,
    };
    this.state.updatedAt = now;
  }

  /**
   * Whether Outlook's event, at these versions (the change keys a batch of change notifications carried), is
   * exactly what our last write made of it: our own write coming back, nothing to follow.
   */
  isOwnWrite(changeKeys: readonly (string | null)[]): boolean {
    const ours = this.state.calendar.writtenChangeKey ?? null;
    return ours !== null && changeKeys.length > 0 && changeKeys.every((key) => key === ours);
  }

  /** Outlook moved the event: the booking follows. */
  movedInOutlook(start: Date, end: Date, now: Date): void {
    this.state.sequence++;
    this.moveTo(start, end);
    this.state.calendar.writtenStart = start;
    this.state.calendar.writtenEnd = end;
    this.state.calendar.writtenChangeKey = null;
    this.outlookConflictResolved(now);
    this.state.updatedAt = now;
    this.record({ type: 'booking.calendar_changed', change: 'moved', outlook: null, occurredAt: now });
  }

  /** The host deleted or cancelled the event in Outlook. */
  cancelledInOutlook(now: Date): void {
    if (this.state.status === 'cancelled') return;
    this.state.status = 'cancelled';
    this.state.sequence++;
    this.state.cancelledBy = 'host';
    this.state.cancellationReason = 'Cancelled in Outlook';
    this.state.calendar.eventCancelled = true;
    this.state.location.joinUrl = null;
    this.state.updatedAt = now;
    this.record({ type: 'booking.calendar_changed', change: 'deleted', occurredAt: now });
  }

  /**
   * Takes what a calendar sync achieved on a copy read before it started. Changes made meanwhile
   * (times, cancellation) stay, and leave calendar work for the next run; after a reassignment only the
   * progress on old events counts.
   */
  adoptCalendarSync(worked: Booking, now: Date): void {
    const w = worked.state;
    const before = this.visibleCalendarState();
    const remaining = this.state.calendar.obsoleteEvents.filter((e) =>
      w.calendar.obsoleteEvents.some((x) => x.transactionId === e.transactionId),
    );
    if (w.hostId !== this.state.hostId) {
      this.state.calendar.obsoleteEvents = remaining;
    } else {
      // A room's decline recorded meanwhile stays (the declined rooms, and its warning); the co-hosts' answers
      // are this copy's (a calendar write never changes them, and one recorded meanwhile is the newer).
      const declined = [...new Set([...(w.calendar.declinedRooms ?? []), ...this.declinedRooms])];
      const roomless =
        this.state.warnings.includes('ROOM_UNAVAILABLE') && !w.warnings.includes('ROOM_UNAVAILABLE');
      const hostsDeclined = this.declinedHosts;
      this.state.calendar = {
        ...plainCopy(w.calendar),
        obsoleteEvents: remaining,
        ...(declined.length > 0 && { declinedRooms: declined }),
      };
      delete this.state.calendar.declinedHosts;
      if (hostsDeclined.length > 0) this.state.calendar.declinedHosts = [...hostsDeclined];
      if (this.state.status === 'confirmed') this.state.location.joinUrl = w.location.joinUrl;
      this.state.warnings = [
        ...w.warnings.filter((code) => code !== 'HOST_DECLINED'),
        ...(roomless ? (['ROOM_UNAVAILABLE'] as const) : []),
        ...(hostsDeclined.length > 0 ? (['HOST_DECLINED'] as const) : []),
      ];
      this.state.updatedAt = w.updatedAt;
      // A cancel or move made meanwhile is not in Outlook yet.
      if (this.calendarWork !== 'none' && this.state.calendar.syncStatus === 'synced')
        this.state.calendar.syncStatus = 'pending';
    }
    // The first outcome is told with booking.created; afterwards a change a webhook reader can see (the
    // event id, the sync status or error, the link, the warnings) is booking.updated.
    if (!this.announce(now) && this.visibleCalendarState() !== before)
      this.record({ type: 'booking.updated', occurredAt: now });
  }

  /** What the booking shows of its calendar write (what booking.updated is about). */
  private visibleCalendarState(): string {
    const s = this.state;
    return JSON.stringify([
      s.calendar.eventId,
      s.calendar.syncStatus,
      s.calendar.lastError || null,
      s.location.kind === 'teams' ? s.location.joinUrl : null,
      s.warnings,
      s.room ?? null,
    ]);
  }

  private assertConfirmed(): void {
    if (this.state.status !== 'confirmed') {
      throw new DomainError('VALIDATION_FAILED', 'This booking is cancelled.', [
        { field: 'status', message: 'a cancelled booking cannot change' },
      ]);
    }
  }

  toSnapshot(): BookingSnapshot {
    return plainCopy(this.state);
  }

  /** The booking's state to read, not to keep: no copy (the type forbids changing it). */
  view(): DeepReadonly<BookingSnapshot> {
    return this.state;
  }

  /**
   * The host moved the event in Outlook onto another booking: this one keeps its time, flagged with
   * CALENDAR_MOVE_CONFLICT. False when that very move is already flagged (nothing new to say).
   */
  outlookMoveConflicts(outlook: { start: Date; end: Date }, now: Date): boolean {
    const seen = { start: outlook.start.toISOString(), end: outlook.end.toISOString() };
    const known = this.state.calendar.outlookConflict;
    if (known?.start === seen.start && known.end === seen.end) return false;
    this.state.calendar.outlookConflict = seen;
    if (!this.state.warnings.includes('CALENDAR_MOVE_CONFLICT'))
      this.state.warnings = [...this.state.warnings, 'CALENDAR_MOVE_CONFLICT'];
    this.state.updatedAt = now;
    this.record({
      type: 'booking.calendar_changed',
      change: 'moved',
      outlook: { start: outlook.start, end: outlook.end },
      occurredAt: now,
    });
    return true;
  }

  /** Outlook and the booking agree again: the conflict flag goes. False when there was none. */
  outlookConflictResolved(now: Date): boolean {
    if (!this.state.calendar.outlookConflict) return false;
    this.state.calendar.outlookConflict = null;
    this.state.warnings = this.state.warnings.filter((w) => w !== 'CALENDAR_MOVE_CONFLICT');
    this.state.updatedAt = now;
    return true;
  }
}

/**
 * Round robin: among the hosts free for the start, the one least recently booked goes first (never
 * booked first of all), ties by host id; hosts who can give the Teams link a Teams event type needs
 * come before those who cannot.
 */
export function roundRobinOrder(
  hosts: readonly { hostId: string; lastBookedAt: Date | null; teamsCapable: boolean }[],
  needsTeams: boolean,
): string[] {
  return [...hosts]
    .sort(
      (a, b) =>
        (needsTeams ? Number(b.teamsCapable) - Number(a.teamsCapable) : 0) ||
        (a.lastBookedAt?.getTime() ?? -Infinity) - (b.lastBookedAt?.getTime() ?? -Infinity) ||
        (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0),
    )
    .map((h) => h.hostId);
}
