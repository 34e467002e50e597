// Rooms on top of the slot engine: a pure filter of the hosts' slots by the rooms' busy time. A room is free
// for a slot when none of its busy items overlaps the meeting itself, [start, end): rooms take no buffers
// (the hosts' buffers are their own time, not the room's). With `required`, a slot survives only when at
// least one room is free; without, every slot survives. Each slot lists its free rooms in pool order: a
// booking takes the first. A room whose calendar could not be read is given as busy throughout by the caller.
// kailenty's own claims on rooms (its bookings' rooms, its live holds') block a room as its calendar does:
// Microsoft 365's free/busy of a room is read through a cache and may not show them yet.
import type { Slot } from './slot-engine.js';

export interface RoomBusyItem {
  /** Half-open [start, end) in epoch ms; ±Infinity for a room that could not be read (busy throughout). */
  readonly start: number;
  readonly end: number;
  /** A claim of kailenty's own (a booking's id, or a hold's); absent for an item of the room's calendar. */
  readonly bookingId?: string;
}

export interface RoomBusy {
  readonly email: string;
  /** In any order. */
  readonly busy: readonly RoomBusyItem[];
}

/** A room kailenty's own confirmed booking takes, or a live hold keeps: its meeting time, epoch ms. */
export interface RoomClaimTime {
  /** The room's address. */
  readonly room: string;
  readonly bookingId: string;
  readonly start: number;
  readonly end: number;
}

export interface RoomSlot extends Slot {
  /** The rooms free for the whole slot, in pool order (the pool's order of `rooms`). */
  readonly rooms: string[];
}

/**
 * The slots (sorted by start, as the engine gives them) with their free rooms. One pass per room: its busy
 * items sorted by start, a pointer walks them as the slots' starts grow, keeping the items that may still
 * reach a later slot.
 */
export function withRooms(slots: readonly Slot[], rooms: readonly RoomBusy[], required: boolean): RoomSlot[] {
  const free: string[][] = slots.map(() => []);
  for (const room of rooms) {
    const items = room.busy.filter((b) => b.end > b.start).sort((a, b) => a.start - b.start);
    let next = 0;
    // Items already started before the current slot's end, by end: those ending after a start still block it.
    let open: { start: number; end: number }[] = [];
    for (let s = 0; s < slots.length; s++) {
      const { start, end } = slots[s];
      while (next < items.length && items[next].start < end) open.push(items[next++]);
      open = open.filter((b) => b.end > start);
      if (!open.some((b) => b.start < end)) free[s].push(room.email);
    }
  }
  const out: RoomSlot[] = [];
  for (let s = 0; s < slots.length; s++) {
    if (required && free[s].length === 0) continue;
    out.push({ ...slots[s], rooms: free[s] });
  }
  return out;
}

/** The rooms free for [start, end), in the given order. */
export function freeRoomsAt(rooms: readonly RoomBusy[], start: number, end: number): string[] {
  return rooms
    .filter((room) => !room.busy.some((b) => b.end > b.start && b.start < end && b.end > start))
    .map((room) => room.email);
}

/**
 * The rooms with kailenty's own claims on them added to their busy time (a claim on a room not in `rooms` is
 * not theirs to know), in the rooms' order.
 */
export function withClaims(rooms: readonly RoomBusy[], claims: readonly RoomClaimTime[]): RoomBusy[] {
  return rooms.map((room) => {
    const email = room.email.toLowerCase();
    const mine = claims
      .filter((c) => c.room.toLowerCase() === email)
      .map((c) => ({ start: c.start, end: c.end, bookingId: c.bookingId }));
    return mine.length === 0 ? room : { email: room.email, busy: [...room.busy, ...mine] };
  });
}

/** Why a room is not free for a meeting: what overlaps it, or that its calendar could not be read. */
export interface TakenRoom {
  readonly email: string;
  /** True: Microsoft 365 could not read its calendar, so it counts as busy throughout. */
  readonly unreadable: boolean;
  /** The items overlapping the meeting, by start (none when unreadable). */
  readonly items: readonly RoomBusyItem[];
}

/**
 * For one meeting [start, end): the rooms free for it in the given order (as `freeRoomsAt`), and for each
 * other room what takes it. Explain says with it why a room pool lets a start be offered or not.
 */
export function explainRooms(
  rooms: readonly RoomBusy[],
  start: number,
  end: number,
): { free: string[]; taken: TakenRoom[] } {
  const free: string[] = [];
  const taken: TakenRoom[] = [];
  for (const room of rooms) {
    const items = room.busy
      .filter((b) => b.end > b.start && b.start < end && b.end > start)
      .sort((a, b) => a.start - b.start);
    if (items.length === 0) free.push(room.email);
    else if (items.some((b) => !Number.isFinite(b.start) || !Number.isFinite(b.end)))
      taken.push({ email: room.email, unreadable: true, items: [] });
    else taken.push({ email: room.email, unreadable: false, items });
  }
  return { free, taken };
}
