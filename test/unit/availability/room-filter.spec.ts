// Rooms on top of the engine's slots: a start keeps its free rooms in pool order; a required pool drops starts
// without one; only the meeting itself counts (no buffers), half-open.
import { explainRooms, freeRoomsAt, withClaims, withRooms } from '@domain/availability/room-filter.js';
import { roomsToTry } from '@domain/event-type/room-pool.js';
import type { Slot } from '@domain/availability/slot-engine.js';

const M = 60_000;
const slot = (startMin: number, minutes = 30): Slot => ({
  start: startMin * M,
  end: (startMin + minutes) * M,
  hostIds: ['h'],
});
const busy = (fromMin: number, toMin: number) => ({ start: fromMin * M, end: toMin * M });

describe('withRooms', () => {
  const slots = [slot(0), slot(30), slot(60), slot(90)];
  const rooms = [
    { email: 'r1@contoso.com', busy: [busy(30, 60)] },
    { email: 'r2@contoso.com', busy: [busy(20, 70)] },
  ];

  it('lists the free rooms of each start in pool order; a required pool drops a start with none', () => {
    expect(withRooms(slots, rooms, true).map((s) => [s.start / M, s.rooms])).toEqual([
      [0, ['r1@contoso.com']],
      [60, ['r1@contoso.com']],
      [90, ['r1@contoso.com', 'r2@contoso.com']],
    ]);
  });

  it('keeps every start of an optional pool, with no room where none is free', () => {
    expect(withRooms(slots, rooms, false).map((s) => s.rooms.length)).toEqual([1, 0, 1, 2]);
  });

  it('treats busy time as half-open and ignores empty items', () => {
    const edge = [{ email: 'r@contoso.com', busy: [busy(30, 60), busy(0, 0), busy(100, 90)] }];
    expect(withRooms([slot(0), slot(60)], edge, true).map((s) => s.start / M)).toEqual([0, 60]);
    expect(withRooms([slot(59, 2)], edge, true)).toEqual([]);
  });

  it('finds a long item that started before earlier, shorter items', () => {
    const long = [{ email: 'r@contoso.com', busy: [busy(0, 200), busy(10, 20)] }];
    expect(withRooms([slot(0), slot(100), slot(200)], long, true).map((s) => s.start / M)).toEqual([200]);
  });
});

describe('freeRoomsAt', () => {
  it('names the rooms free for the whole meeting, in the given order', () => {
    const rooms = [
      { email: 'b@contoso.com', busy: [] },
      { email: 'a@contoso.com', busy: [busy(0, 10)] },
    ];
    expect(freeRoomsAt(rooms, 10 * M, 40 * M)).toEqual(['b@contoso.com', 'a@contoso.com']);
    expect(freeRoomsAt(rooms, 5 * M, 40 * M)).toEqual(['b@contoso.com']);
  });
});

describe('withClaims', () => {
  it('adds kailenty’s own claims to the rooms they name (any case), and no others', () => {
    const rooms = [
      { email: 'r1@contoso.com', busy: [busy(0, 30)] },
      { email: 'r2@contoso.com', busy: [] },
    ];
    const claimed = withClaims(rooms, [
      { room: 'R1@contoso.com', bookingId: 'b1', start: 60 * M, end: 90 * M },
      { room: 'r9@contoso.com', bookingId: 'b9', start: 0, end: 90 * M },
    ]);
    expect(claimed).toEqual([
      { email: 'r1@contoso.com', busy: [busy(0, 30), { ...busy(60, 90), bookingId: 'b1' }] },
      { email: 'r2@contoso.com', busy: [] },
    ]);
    expect(withRooms([slot(60)], claimed, true)).toEqual([{ ...slot(60), rooms: ['r2@contoso.com'] }]);
  });
});

describe('explainRooms', () => {
  it('gives the free rooms in order, and for each other room what overlaps the meeting, or that it is unreadable', () => {
    const rooms = [
      { email: 'r1@contoso.com', busy: [busy(50, 70), { ...busy(20, 40), bookingId: 'b1' }, busy(0, 30)] },
      { email: 'r2@contoso.com', busy: [{ start: -Infinity, end: Infinity }] },
      { email: 'r3@contoso.com', busy: [busy(0, 30), busy(60, 90)] },
    ];
    expect(explainRooms(rooms, 30 * M, 60 * M)).toEqual({
      free: ['r3@contoso.com'],
      taken: [
        {
          email: 'r1@contoso.com',
          unreadable: false,
          items: [{ ...busy(20, 40), bookingId: 'b1' }, busy(50, 70)],
        },
        { email: 'r2@contoso.com', unreadable: true, items: [] },
      ],
    });
  });
});

describe('roomsToTry', () => {
  const pool = (required: boolean) => ({
    required,
    rooms: ['a', 'b', 'c'].map((n) => ({ email: `${n}@contoso.com`, name: n.toUpperCase() })),
  });

  it('tries the free rooms in pool order, the room to keep first when free; an optional pool ends with none', () => {
    const free = ['c@contoso.com', 'b@contoso.com'];
    expect(roomsToTry(pool(true), free)).toEqual([
      { email: 'b@contoso.com', name: 'B' },
      { email: 'c@contoso.com', name: 'C' },
    ]);
    expect(roomsToTry(pool(true), free, 'C@contoso.com')).toEqual([
      { email: 'c@contoso.com', name: 'C' },
      { email: 'b@contoso.com', name: 'B' },
    ]);
    // The room to keep is not free: the pool's order.
    expect(roomsToTry(pool(false), free, 'a@contoso.com')).toEqual([
      { email: 'b@contoso.com', name: 'B' },
      { email: 'c@contoso.com', name: 'C' },
      null,
    ]);
    expect(roomsToTry(pool(true), [])).toEqual([]);
    expect(roomsToTry(pool(false), [])).toEqual([null]);
  });
});
