// An event type is what a guest books: a duration, where it happens, and the host (single), pool of hosts
// (round robin: any one of them) or team (collective: all of them at once) whose availability offers its slots.
import { DomainError, type FieldError } from '../shared/domain-error.js';
import { parseQuestions, type BookingQuestion } from './booking-question.js';
import { copyRoomPool, parseRoomPool, type RoomPool } from './room-pool.js';
import type { BookingLimits } from '../availability/booking-limits.js';
import type { EventPolicy, HostsNeeded } from '../availability/slot-engine.js';

export const LOCATION_KINDS = ['teams', 'in_person', 'phone'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const ASSIGNMENTS = ['single', 'round_robin', 'collective'] as const;
export type Assignment = (typeof ASSIGNMENTS)[number];

export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 720;
export const MAX_HOSTS = 1000;
/**
 * A collective meeting needs every host's calendar read fresh at each booking: one Microsoft getSchedule call
 * reads at most 20 mailboxes, and an invitation with more required attendees is rarely a meeting.
 */
export const MIN_COLLECTIVE_HOSTS = 2;
export const MAX_COLLECTIVE_HOSTS = 20;
export const MAX_SLUG_LENGTH = 100;
export const MAX_TITLE_LENGTH = 200;
export const MAX_LOCATION_VALUE_LENGTH = 500;
export const MAX_BOOKINGS_PER_DAY = 100;
export const MAX_BOOKINGS_PER_WEEK = 500;
/** A day: the slot engine reads the type's bookings a week and a day around the starts (LIMIT_REACH_MS). */
export const MAX_GAP_MINUTES = 1440;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface EventLocation {
  kind: LocationKind;
  /** The address or phone number; null for Teams (the join link is made per booking). */
  value: string | null;
}

export interface EventTypeSnapshot {
  id: string;
  workspaceId: string;
  slug: string;
  title: string;
  durationMinutes: number;
  /** Null = the default, which follows `durationMinutes`. */
  slotIntervalMinutes: number | null;
  location: EventLocation;
  /** In the order given; exactly one for `single`; 2 to 20 for `collective`, the first organising. */
  hostIds: string[];
  assignment: Assignment;
  /** Whether guests may book it on its public booking page (and read it without an API key). */
  bookingPageEnabled: boolean;
  /** What a guest is asked when booking, in the order asked (none: an empty list). */
  questions: BookingQuestion[];
  /** Per host, in the host's zone (weeks from Monday); null = no limit. */
  limits: { perDay: number | null; perWeek: number | null };
  /** Between two of its bookings of one host; 0 = none. */
  minimumGapMinutes: number;
  /** The rooms a booking takes one of (room-pool.ts); null = none. */
  rooms: RoomPool | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventTypeDefinition {
  slug: string;
  title: string;
  durationMinutes: number;
  slotIntervalMinutes?: number | null;
  location: { kind: LocationKind; value?: string | null };
  hostIds: string[];
  assignment: Assignment;
  bookingPage?: { enabled: boolean };
  /** Checked by parseQuestions (booking-question.ts); absent or null: none. */
  questions?: unknown;
  /** Absent or null: none; a missing or null field inside: no limit of that kind. */
  limits?: { perDay?: number | null; perWeek?: number | null } | null;
  /** Absent, null or 0: none. */
  minimumGapMinutes?: number | null;
  /** Checked by parseRoomPool (room-pool.ts); absent or null: none. */
  rooms?: unknown;
}

export type EventTypeChanges = Partial<EventTypeDefinition>;

/** A host of a Teams event type who cannot create Teams meetings (API.md's event type `warnings`). */
export interface EventTypeWarning {
  code: 'TEAMS_LICENCE_MISSING';
  memberId: string;
}

export const duplicateSlug: FieldError = {
  field: 'slug',
  message: 'an event type with this slug already exists',
};

export class EventType {
  private constructor(private state: EventTypeSnapshot) {}

  static create(input: EventTypeDefinition & { id: string; workspaceId: string; now: Date }): EventType {
    const definition = validate(input);
    return new EventType({
      id: input.id,
      workspaceId: input.workspaceId,
      ...definition,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static fromSnapshot(snapshot: EventTypeSnapshot): EventType {
    return new EventType(copy(snapshot));
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get slug(): string {
    return this.state.slug;
  }
  get durationMinutes(): number {
    return this.state.durationMinutes;
  }
  /** The step between candidate starts: the one set, else the duration. */
  get slotIntervalMinutes(): number {
    return this.state.slotIntervalMinutes ?? this.state.durationMinutes;
  }
  get hostIds(): readonly string[] {
    return this.state.hostIds;
  }
  get assignment(): Assignment {
    return this.state.assignment;
  }
  /** Collective: a start needs every host, and a booking takes all of them. */
  get isCollective(): boolean {
    return this.state.assignment === 'collective';
  }
  /** How the slot engine combines the hosts' starts. */
  get hostsNeeded(): HostsNeeded {
    return this.isCollective ? 'all' : 'any';
  }
  get location(): EventLocation {
    return { ...this.state.location };
  }
  get title(): string {
    return this.state.title;
  }
  get bookingPageEnabled(): boolean {
    return this.state.bookingPageEnabled;
  }
  get questions(): readonly BookingQuestion[] {
    return this.state.questions;
  }
  get rooms(): RoomPool | null {
    return copyRoomPool(this.state.rooms ?? null);
  }
  /** The limits set, as the slot engine takes them. */
  get limits(): BookingLimits {
    const { perDay, perWeek } = this.state.limits;
    return {
      ...(perDay !== null && { perDay }),
      ...(perWeek !== null && { perWeek }),
      ...(this.state.minimumGapMinutes > 0 && { minimumGapMinutes: this.state.minimumGapMinutes }),
    };
  }

  /** The event's part of a slot query: its duration, step and limits. */
  slotPolicy(): EventPolicy {
    return {
      durationMinutes: this.durationMinutes,
      slotIntervalMinutes: this.slotIntervalMinutes,
      limits: this.limits,
    };
  }

  /** PATCH: the changed fields are checked together with the unchanged ones. */
  change(changes: EventTypeChanges, now: Date): void {
    const current = this.state;
    const next = validate({
      slug: changes.slug ?? current.slug,
      title: changes.title ?? current.title,
      durationMinutes: changes.durationMinutes ?? current.durationMinutes,
      slotIntervalMinutes:
        changes.slotIntervalMinutes !== undefined ? changes.slotIntervalMinutes : current.slotIntervalMinutes,
      location: changes.location ?? current.location,
      hostIds: changes.hostIds ?? current.hostIds,
      assignment: changes.assignment ?? current.assignment,
      bookingPage: changes.bookingPage ?? { enabled: current.bookingPageEnabled },
      questions: changes.questions !== undefined ? changes.questions : current.questions,
      limits: changes.limits !== undefined ? changes.limits : current.limits,
      minimumGapMinutes:
        changes.minimumGapMinutes !== undefined ? changes.minimumGapMinutes : current.minimumGapMinutes,
      rooms: changes.rooms !== undefined ? changes.rooms : current.rooms,
    });
    this.state = { ...current, ...next, updatedAt: now };
  }

  /** TEAMS_LICENCE_MISSING for each host of a Teams event type whose mailbox cannot create Teams meetings. */
  warnings(teamsEnabledByHost: ReadonlyMap<string, boolean>): EventTypeWarning[] {
    if (this.state.location.kind !== 'teams') return [];
    return this.state.hostIds
      .filter((id) => teamsEnabledByHost.get(id) === false)
      .map((memberId) => ({ code: 'TEAMS_LICENCE_MISSING' as const, memberId }));
  }

  toSnapshot(): EventTypeSnapshot {
    return copy(this.state);
  }
}

/** A deep copy; Dates stay Dates of this realm (structuredClone's may not be, under test sandboxes). */
function copy(s: EventTypeSnapshot): EventTypeSnapshot {
  return {
    ...s,
    location: { ...s.location },
    hostIds: [...s.hostIds],
    questions: (s.questions ?? []).map((q) => ({ ...q, options: q.options ? [...q.options] : null })),
    limits: { ...s.limits },
    rooms: copyRoomPool(s.rooms ?? null),
    createdAt: new Date(s.createdAt.getTime()),
    updatedAt: new Date(s.updatedAt.getTime()),
  };
}

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function validate(
  input: EventTypeDefinition,
): Omit<EventTypeSnapshot, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt'> {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  if (typeof input.slug !== 'string' || input.slug.length > MAX_SLUG_LENGTH || !SLUG.test(input.slug)) {
    fail(
      'slug',
      `must be lowercase letters and digits in words joined by "-", at most ${MAX_SLUG_LENGTH} characters`,
    );
  }
  if (typeof input.title !== 'string' || input.title.trim().length === 0) fail('title', 'must not be empty');
  else if (input.title.length > MAX_TITLE_LENGTH)
    fail('title', `must be at most ${MAX_TITLE_LENGTH} characters`);

  const range = `a whole number of minutes from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}`;
  if (!isInt(input.durationMinutes, MIN_DURATION_MINUTES, MAX_DURATION_MINUTES))
    fail('durationMinutes', `must be ${range}`);
  const interval = input.slotIntervalMinutes ?? null;
  if (interval !== null && !isInt(interval, MIN_DURATION_MINUTES, MAX_DURATION_MINUTES)) {
    fail('slotIntervalMinutes', `must be ${range}, or null for the duration`);
  }

  const location = input.location as Partial<EventTypeDefinition['location']> | undefined;
  const kind = location?.kind;
  const value = typeof location?.value === 'string' ? location.value.trim() : (location?.value ?? null);
  if (!LOCATION_KINDS.includes(kind as LocationKind)) {
    fail('location.kind', `must be one of ${LOCATION_KINDS.join(', ')}`);
  } else if (kind === 'teams') {
    if (value !== null && value !== '')
      fail('location.value', 'must not be set for teams: each booking gets its own join link');
  } else if (typeof value !== 'string' || value.length === 0) {
    fail('location.value', `is required for ${kind}`);
  } else if (value.length > MAX_LOCATION_VALUE_LENGTH) {
    fail('location.value', `must be at most ${MAX_LOCATION_VALUE_LENGTH} characters`);
  }

  if (!ASSIGNMENTS.includes(input.assignment)) fail('assignment', `must be one of ${ASSIGNMENTS.join(', ')}`);
  const hostIds = input.hostIds;
  if (!Array.isArray(hostIds) || hostIds.length === 0) {
    fail('hostIds', 'must name at least one member');
  } else if (hostIds.length > MAX_HOSTS) {
    fail('hostIds', `must name at most ${MAX_HOSTS} members`);
  } else if (hostIds.some((id) => typeof id !== 'string')) {
    fail('hostIds', 'must be member ids');
  } else if (new Set(hostIds.map((id) => id.toLowerCase())).size !== hostIds.length) {
    fail('hostIds', 'must not name a member twice');
  } else if (input.assignment === 'single' && hostIds.length !== 1) {
    fail('hostIds', 'must name exactly one member for single assignment');
  } else if (
    input.assignment === 'collective' &&
    (hostIds.length < MIN_COLLECTIVE_HOSTS || hostIds.length > MAX_COLLECTIVE_HOSTS)
  ) {
    fail(
      'hostIds',
      `must name ${MIN_COLLECTIVE_HOSTS} to ${MAX_COLLECTIVE_HOSTS} members for collective assignment`,
    );
  }
  const bookingPage = input.bookingPage as { enabled?: unknown } | undefined;
  if (bookingPage !== undefined && (bookingPage === null || typeof bookingPage.enabled !== 'boolean')) {
    fail('bookingPage.enabled', 'must be true or false');
  }

  const { questions, errors: questionErrors } = parseQuestions(input.questions);
  errors.push(...questionErrors);
  const limits = input.limits ?? {};
  if (typeof limits !== 'object' || Array.isArray(limits)) {
    fail('limits', 'must be an object with perDay and/or perWeek, or null');
  }
  const perDay = (limits as { perDay?: unknown }).perDay ?? null;
  const perWeek = (limits as { perWeek?: unknown }).perWeek ?? null;
  if (perDay !== null && !isInt(perDay, 1, MAX_BOOKINGS_PER_DAY))
    fail('limits.perDay', `must be a whole number from 1 to ${MAX_BOOKINGS_PER_DAY}, or null for no limit`);
  if (perWeek !== null && !isInt(perWeek, 1, MAX_BOOKINGS_PER_WEEK))
    fail('limits.perWeek', `must be a whole number from 1 to ${MAX_BOOKINGS_PER_WEEK}, or null for no limit`);
  const gap = input.minimumGapMinutes ?? 0;
  if (!isInt(gap, 0, MAX_GAP_MINUTES))
    fail('minimumGapMinutes', `must be a whole number of minutes from 0 to ${MAX_GAP_MINUTES}`);

  const { pool: rooms, errors: roomErrors } = parseRoomPool(input.rooms);
  errors.push(...roomErrors);

  if (errors.length > 0) throw DomainError.validation(errors);
  return {
    slug: input.slug,
    title: input.title.trim(),
    durationMinutes: input.durationMinutes,
    slotIntervalMinutes: interval,
    location: { kind: kind as LocationKind, value: kind === 'teams' ? null : (value as string) },
    hostIds: hostIds.map((id) => id.toLowerCase()),
    assignment: input.assignment,
    bookingPageEnabled: bookingPage?.enabled === true,
    questions,
    limits: { perDay: perDay as number | null, perWeek: perWeek as number | null },
    minimumGapMinutes: gap,
    rooms,
  };
}
