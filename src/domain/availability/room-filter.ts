// Rooms on top of the slot engine: a pure filter of the hosts' slots by the rooms' busy time. A room is free
// for a slot when none of its busy items overlaps the meeting itself, [start, end): rooms take no buffers
// (the hosts' buffers are their own time, not the room's). With `required`, a slot survives only when at
// least one room is free; without, every slot survives. Each slot lists its free rooms in pool order: a
// booking takes the first. A room whose calendar could not be read is given as busy throughout by the caller.
import type { Slot } from './slot-engine.js';

export interface RoomBusy {
  readonly email: string;
  /** Half-open [start, end) in epoch ms, in any order. */
  readonly busy: readonly { readonly start: number; readonly end: number }[];
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
