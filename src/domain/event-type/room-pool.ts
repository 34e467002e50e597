// The rooms an event type books: a pool of room mailboxes tried in its order, and whether a start needs one.
// Rooms are named by the admin (address and display name): Graph's room list needs Place.Read.All, which
// kailenty does not request, and getSchedule answers no display name.
import type { FieldError } from '../shared/domain-error.js';
import { isEmail } from '../shared/validation.js';

/** getSchedule reads 20 mailboxes a call: a pool is read in one. */
export const MAX_ROOMS = 20;
export const MAX_ROOM_NAME_LENGTH = 200;

export interface Room {
  /** The room mailbox's address, lower case. */
  email: string;
  /** What a booking's location says (the address when none was given). */
  name: string;
}

export interface RoomPool {
  /** In the order rooms are tried. */
  rooms: Room[];
  /** True: a start needs a free room. False: a start is offered anyway, and a free room is added when there is one. */
  required: boolean;
}

/**
 * The event type's `rooms` field: null or absent for none, else `{ rooms: [{ email, name? }], required }`.
 * Errors name the field (`rooms`, `rooms.required`, `rooms.rooms[i].email`, …).
 */
export function parseRoomPool(input: unknown): { pool: RoomPool | null; errors: FieldError[] } {
  if (input === undefined || input === null) return { pool: null, errors: [] };
  const errors: FieldError[] = [];
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      pool: null,
      errors: [{ field: 'rooms', message: 'must be an object with rooms and required, or null' }],
    };
  }
  const { rooms, required } = input as { rooms?: unknown; required?: unknown };
  if (typeof required !== 'boolean')
    errors.push({ field: 'rooms.required', message: 'must be true or false' });
  if (!Array.isArray(rooms) || rooms.length === 0 || rooms.length > MAX_ROOMS) {
    errors.push({ field: 'rooms.rooms', message: `must list from 1 to ${MAX_ROOMS} rooms` });
    return { pool: null, errors };
  }
  const seen = new Set<string>();
  const parsed: Room[] = [];
  rooms.forEach((room: unknown, i) => {
    const field = `rooms.rooms[${i}]`;
    if (typeof room !== 'object' || room === null || Array.isArray(room)) {
      errors.push({ field, message: 'must be an object with email and name' });
      return;
    }
    const { email, name } = room as { email?: unknown; name?: unknown };
    const address = typeof email === 'string' ? email.trim().toLowerCase() : '';
    if (!isEmail(address)) errors.push({ field: `${field}.email`, message: 'must be an email address' });
    else if (seen.has(address))
      errors.push({ field: `${field}.email`, message: 'must not name a room twice' });
    seen.add(address);
    const label = typeof name === 'string' ? name.trim() : null;
    if (name !== undefined && name !== null && (label === null || label.length === 0))
      errors.push({ field: `${field}.name`, message: 'must not be empty (or null for the address)' });
    else if (label !== null && label.length > MAX_ROOM_NAME_LENGTH)
      errors.push({ field: `${field}.name`, message: `must be at most ${MAX_ROOM_NAME_LENGTH} characters` });
    parsed.push({ email: address, name: label || address });
  });
  if (errors.length > 0) return { pool: null, errors };
  return { pool: { rooms: parsed, required: required as boolean }, errors };
}

export function copyRoomPool(pool: RoomPool | null): RoomPool | null {
  return pool === null ? null : { required: pool.required, rooms: pool.rooms.map((r) => ({ ...r })) };
}

/**
 * The rooms a booking tries, in order, given the pool's rooms free for its meeting (addresses): `keep` first
 * when it is free (a reschedule keeps its room where it can), then the other free ones in pool order, and for
 * an optional pool none at all (null) last. Empty: a required pool with no room free.
 */
export function roomsToTry(
  pool: RoomPool,
  free: readonly string[],
  keep: string | null = null,
): (Room | null)[] {
  const open = new Set(free.map((e) => e.toLowerCase()));
  const kept = keep?.toLowerCase() ?? null;
  const rooms = pool.rooms.filter((r) => open.has(r.email));
  const ordered = [...rooms.filter((r) => r.email === kept), ...rooms.filter((r) => r.email !== kept)].map(
    (r) => ({ ...r }),
  );
  return pool.required ? ordered : [...ordered, null];
}
