// Booking rules: blocked time, what the calendar still needs, reassignment, round-robin order.
import { Booking, roundRobinOrder } from '@domain/booking/booking.js';
import { aBooking } from '../../builders/booking.builder.js';
import { ROOM_ONE, ROOM_TWO } from '../../builders/room.builder.js';

const now = new Date('2026-12-01T08:00:00Z');

describe('Booking', () => {
  it('blocks its time plus the buffers it was made with', () => {
    const b = aBooking({ start: '2026-12-03T09:00:00Z', bufferBeforeMinutes: 10, bufferAfterMinutes: 5 });
    expect(b.blocked).toEqual({
      start: new Date('2026-12-03T08:50:00Z'),
      end: new Date('2026-12-03T09:35:00Z'),
    });
  });

  it('knows what Outlook still needs: create, then nothing, move after a reschedule, cancel after a cancellation', () => {
    const b = aBooking();
    expect(b.calendarWork).toBe('create');
    b.calendarWritten({ eventId: 'e1', joinUrl: 'https://teams.test/1', start: b.start, end: b.end, now });
    expect(b.calendarWork).toBe('none');
    b.reschedule({ start: new Date('2026-12-04T09:00:00Z'), now });
    expect(b.calendarWork).toBe('move');
    expect(b.toSnapshot().calendar.syncStatus).toBe('pending');
    b.calendarWritten({ eventId: 'e1', joinUrl: 'https://teams.test/1', start: b.start, end: b.end, now });
    b.cancel({ by: 'guest', reason: 'ill', now });
    expect(b.calendarWork).toBe('cancel');
    // Cancelled here, not yet in Outlook: never `synced` while the event is still there.
    expect(b.calendar.syncStatus).toBe('pending');
    b.calendarCancelled(now);
    expect(b.calendarWork).toBe('none');
    expect(b.calendar.syncStatus).toBe('synced');
    expect(() => b.reschedule({ start: now, now })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('says TEAMS_LICENCE_MISSING when a Teams event came back without a link', () => {
    const b = aBooking();
    b.calendarWritten({ eventId: 'e1', joinUrl: null, start: b.start, end: b.end, now });
    expect(b.toSnapshot().warnings).toEqual(['TEAMS_LICENCE_MISSING']);
    const inPerson = aBooking({ location: { kind: 'in_person', value: 'HQ' } });
    inPerson.calendarWritten({ eventId: 'e2', joinUrl: null, start: inPerson.start, end: inPerson.end, now });
    expect(inPerson.toSnapshot().warnings).toEqual([]);
    expect(inPerson.location.joinUrl).toBeNull();
  });

  it('moving to another host leaves the old event to cancel and starts a new one, with the new host’s buffers', () => {
    const b = aBooking({ hostId: 'h1', start: '2026-12-03T09:00:00Z', bufferBeforeMinutes: 30 });
    b.calendarWritten({ eventId: 'e1', joinUrl: 'https://teams.test/1', start: b.start, end: b.end, now });
    const oldTx = b.calendar.transactionId;
    b.reassign({ hostId: 'h2', transactionId: 'tx-2', bufferBeforeMinutes: 0, bufferAfterMinutes: 15, now });
    expect(b.hostId).toBe('h2');
    expect(b.blocked).toEqual({
      start: new Date('2026-12-03T09:00:00Z'),
      end: new Date('2026-12-03T09:45:00Z'),
    });
    expect(b.calendar).toMatchObject({
      eventId: null,
      transactionId: 'tx-2',
      obsoleteEvents: [{ hostId: 'h1', eventId: 'e1', transactionId: oldTx }],
    });
    expect(b.calendarWork).toBe('create');
  });
});

describe('Booking.adoptCalendarSync', () => {
  it('takes the sync’s result, and stays pending when a cancel or a move came in meanwhile', () => {
    const stored = aBooking();
    const worked = Booking.fromSnapshot(stored.toSnapshot());
    worked.calendarWritten({
      eventId: 'e1',
      joinUrl: 'https://teams.test/1',
      start: worked.start,
      end: worked.end,
      now,
    });
    const cancelled = Booking.fromSnapshot(stored.toSnapshot());
    cancelled.cancel({ by: 'guest', reason: null, now });
    cancelled.adoptCalendarSync(worked, now);
    expect(cancelled.calendar).toMatchObject({ eventId: 'e1', syncStatus: 'pending' });
    expect(cancelled.calendarWork).toBe('cancel');
    const moved = Booking.fromSnapshot(stored.toSnapshot());
    moved.reschedule({ start: new Date('2026-12-04T09:00:00Z'), now });
    moved.adoptCalendarSync(worked, now);
    expect(moved.calendar).toMatchObject({ eventId: 'e1', syncStatus: 'pending' });
    expect(moved.calendarWork).toBe('move');
    stored.adoptCalendarSync(worked, now);
    expect(stored.calendar).toMatchObject({ eventId: 'e1', syncStatus: 'synced' });
    expect(stored.location.joinUrl).toBe('https://teams.test/1');
  });
});

describe('roundRobinOrder', () => {
  const d = (iso: string) => new Date(iso);
  it('puts never-booked first, then the least recently booked, ties by id; Teams-capable first when needed', () => {
    const hosts = [
      { hostId: 'c', lastBookedAt: d('2026-12-01T10:00:00Z'), teamsCapable: true },
      { hostId: 'b', lastBookedAt: null, teamsCapable: false },
      { hostId: 'a', lastBookedAt: d('2026-12-01T09:00:00Z'), teamsCapable: true },
      { hostId: 'd', lastBookedAt: null, teamsCapable: true },
    ];
    expect(roundRobinOrder(hosts, false)).toEqual(['b', 'd', 'a', 'c']);
    expect(roundRobinOrder(hosts, true)).toEqual(['d', 'a', 'c', 'b']);
  });
});

describe('Booking revision and manage link', () => {
  it('counts a revision (iCalendar SEQUENCE) at each move and at the cancellation', () => {
    const b = aBooking({ start: '2026-12-03T09:00:00Z' });
    expect(b.sequence).toBe(0);
    b.reschedule({ start: new Date('2026-12-03T10:00:00Z'), now });
    expect(b.sequence).toBe(1);
    b.movedInOutlook(new Date('2026-12-03T11:00:00Z'), new Date('2026-12-03T11:30:00Z'), now);
    expect(b.sequence).toBe(2);
    b.cancel({ by: 'guest', reason: null, now });
    expect(b.sequence).toBe(3);
    expect(Booking.fromSnapshot(b.toSnapshot()).sequence).toBe(3);
  });

  it('the manage link expires only for a booking that is cancelled and over', () => {
    const b = aBooking({ start: '2026-12-03T09:00:00Z' });
    const after = new Date('2026-12-03T09:30:00Z');
    expect(b.manageLinkExpired(after)).toBe(false);
    b.cancel({ by: 'guest', reason: null, now });
    expect(b.manageLinkExpired(new Date('2026-12-03T09:29:59Z'))).toBe(false);
    expect(b.manageLinkExpired(after)).toBe(true);
  });
});

describe('the facts a booking records', () => {
  const facts = (b: Booking) => b.pullFacts().map((f) => [f.type, f.sequence]);

  it('numbers each transition’s fact in order, and forgets them once pulled', () => {
    const b = aBooking({ start: '2026-12-02T10:00:00Z' });
    expect(b.pullFacts()).toEqual([]);
    expect(b.announce(now)).toBe(true);
    expect(b.announce(now)).toBe(false);
    b.reschedule({ start: new Date('2026-12-03T10:00:00Z'), now });
    b.cancel({ by: 'guest', reason: null, now });
    expect(facts(b)).toEqual([
      ['booking.created', 1],
      ['booking.rescheduled', 2],
      ['booking.cancelled', 3],
    ]);
    expect(b.pullFacts()).toEqual([]);
    expect(b.factSequence).toBe(3);
    // Read back, the numbering goes on.
    const again = Booking.fromSnapshot(b.toSnapshot());
    again.cancelledInOutlook(now);
    expect(facts(again)).toEqual([]);
  });

  it('a cancelled booking has no join link, and a sync finishing after the cancel does not bring it back', () => {
    const b = aBooking({ location: { kind: 'teams', value: null } });
    const worked = Booking.fromSnapshot(b.toSnapshot());
    worked.calendarWritten({
      eventId: 'e1',
      joinUrl: 'https://teams.test/1',
      start: b.start,
      end: b.end,
      now,
    });
    b.cancel({ by: 'guest', reason: null, now });
    b.adoptCalendarSync(worked, now);
    expect(b.location.joinUrl).toBeNull();
    const outlook = aBooking({ location: { kind: 'teams', value: null } });
    outlook.calendarWritten({
      eventId: 'e2',
      joinUrl: 'https://teams.test/2',
      start: outlook.start,
      end: outlook.end,
      now,
    });
    outlook.cancelledInOutlook(now);
    expect(outlook.location.joinUrl).toBeNull();
    expect(outlook.pullFacts()).toMatchObject([{ type: 'booking.calendar_changed', change: 'deleted' }]);
  });

  it('the sync’s result: booking.created the first time, then booking.updated only when it shows', () => {
    const b = aBooking({ location: { kind: 'teams', value: null } });
    const worked = Booking.fromSnapshot(b.toSnapshot());
    worked.calendarWritten({
      eventId: 'e1',
      joinUrl: 'https://teams.test/1',
      start: b.start,
      end: b.end,
      now,
    });
    b.adoptCalendarSync(worked, now);
    expect(facts(b)).toEqual([['booking.created', 1]]);
    // The same result again (nothing a reader sees changed): no fact.
    b.adoptCalendarSync(Booking.fromSnapshot(b.toSnapshot()), now);
    expect(facts(b)).toEqual([]);
    const failing = Booking.fromSnapshot(b.toSnapshot());
    failing.calendarFailed('Graph 503', true, now);
    b.adoptCalendarSync(failing, now);
    expect(facts(b)).toEqual([['booking.updated', 2]]);
  });

  it('moves in Outlook: followed, or flagged once per distinct conflicting move', () => {
    const b = aBooking({ start: '2026-12-02T10:00:00Z' });
    b.movedInOutlook(new Date('2026-12-02T11:00:00Z'), new Date('2026-12-02T11:30:00Z'), now);
    const conflict = { start: new Date('2026-12-02T12:00:00Z'), end: new Date('2026-12-02T12:30:00Z') };
    expect(b.outlookMoveConflicts(conflict, now)).toBe(true);
    expect(b.outlookMoveConflicts(conflict, now)).toBe(false);
    expect(b.pullFacts()).toMatchObject([
      { type: 'booking.calendar_changed', change: 'moved', outlook: null, sequence: 1 },
      { type: 'booking.calendar_changed', change: 'moved', outlook: conflict, sequence: 2 },
    ]);
  });

  it('a reminder is due once per start, `reminderMinutes` before it; a new start makes it due again', () => {
    const b = aBooking({ start: '2026-12-01T08:30:00Z' });
    expect(b.reminderDue(now, 0)).toBe(false);
    expect(b.reminderDue(now, 20)).toBe(false);
    expect(b.remind(now, 60)).toBe(true);
    expect(b.remind(now, 60)).toBe(false);
    expect(facts(b)).toEqual([['booking.reminder', 1]]);
    b.reschedule({ start: new Date('2026-12-01T08:45:00Z'), now });
    expect(b.reminderDue(now, 60)).toBe(true);
    b.cancel({ by: 'guest', reason: null, now });
    expect(b.reminderDue(now, 60)).toBe(false);
  });
});

describe('the time a booking takes', () => {
  const now = new Date('2026-12-01T08:00:00Z');

  it('is new when the booking is, or when it moves or changes host; not when only its calendar state changes', () => {
    const fresh = aBooking({ start: '2026-12-03T09:00:00Z' });
    expect(fresh.takesNewTime).toBe(true);
    const loaded = Booking.fromSnapshot(fresh.toSnapshot());
    expect(loaded.takesNewTime).toBe(false);
    loaded.calendarWritten({ eventId: 'e1', joinUrl: null, start: loaded.start, end: loaded.end, now });
    expect(loaded.takesNewTime).toBe(false);
    loaded.reschedule({ start: new Date('2026-12-03T10:00:00Z'), now });
    expect(loaded.takesNewTime).toBe(true);

    const other = Booking.fromSnapshot(fresh.toSnapshot());
    other.reassign({ hostId: 'h2', transactionId: 't2', bufferBeforeMinutes: 0, bufferAfterMinutes: 0, now });
    expect(other.takesNewTime).toBe(true);
    const cancelled = Booking.fromSnapshot(fresh.toSnapshot());
    cancelled.cancel({ by: 'guest', reason: null, now });
    expect(cancelled.takesNewTime).toBe(false);
  });
});

describe('a collective booking', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  const team = () =>
    aBooking({
      hostId: 'ada',
      coHosts: [
        { hostId: 'bob', bufferBeforeMinutes: 10, bufferAfterMinutes: 0 },
        { hostId: 'cy', bufferBeforeMinutes: 0, bufferAfterMinutes: 5 },
      ],
      start: '2026-12-03T09:00:00Z',
      bufferAfterMinutes: 15,
    });
  const iso = (b: { hostId: string; start: Date; end: Date }) =>
    `${b.hostId} ${b.start.toISOString().slice(11, 16)}-${b.end.toISOString().slice(11, 16)}`;

  it('takes each host’s time with that host’s buffers, the organiser first', () => {
    const b = team();
    expect(b.isCollective).toBe(true);
    expect(b.hostIds).toEqual(['ada', 'bob', 'cy']);
    expect(b.hostBlocks.map(iso)).toEqual(['ada 09:00-09:45', 'bob 08:50-09:30', 'cy 09:00-09:35']);
    expect(aBooking().hostBlocks).toHaveLength(1);
    expect(aBooking().isCollective).toBe(false);
  });

  it('moves for every host; its blocked time changes when it moves or is cancelled, not when its calendar does', () => {
    const loaded = Booking.fromSnapshot(team().toSnapshot());
    expect(loaded.blocksChanged).toBe(false);
    loaded.calendarWritten({ eventId: 'e1', joinUrl: null, start: loaded.start, end: loaded.end, now });
    expect(loaded.blocksChanged).toBe(false);
    loaded.reschedule({ start: new Date('2026-12-03T11:00:00Z'), now });
    expect(loaded.blocksChanged).toBe(true);
    expect(loaded.hostBlocks.map(iso)).toEqual(['ada 11:00-11:45', 'bob 10:50-11:30', 'cy 11:00-11:35']);
    const cancelled = Booking.fromSnapshot(team().toSnapshot());
    cancelled.cancel({ by: 'guest', reason: null, now });
    expect(cancelled.blocksChanged).toBe(true);
  });

  it('keeps its hosts: no host twice, and no reassignment', () => {
    expect(() =>
      aBooking({
        hostId: 'ada',
        coHosts: [{ hostId: 'ada', bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() =>
      team().reassign({
        hostId: 'dee',
        transactionId: 't',
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        now,
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('Booking rooms on reschedule', () => {
  const ONE = ROOM_ONE;
  const TWO = ROOM_TWO;
  const now = new Date('2026-12-01T08:00:00Z');

  /** A booking with room one whose event was written, as loaded from the store. */
  function written() {
    const b = aBooking({ room: ONE, start: '2026-12-03T09:00:00Z' });
    b.calendarWritten({
      eventId: 'ev-1',
      joinUrl: 'https://teams.example/1',
      room: ONE.email,
      start: b.start,
      end: b.end,
      now,
    });
    return Booking.fromSnapshot(b.toSnapshot());
  }

  it('keeps its room when none is given, moving only the event', () => {
    const b = written();
    b.reschedule({ start: new Date('2026-12-03T10:00:00Z'), now });
    expect(b.room).toEqual(ONE);
    expect(b.calendarWork).toBe('move');
    expect(b.takesNewRoom).toBe(true);
  });

  it('takes the room chosen at the new time: the event must invite it (after the move), and a ROOM_UNAVAILABLE goes', () => {
    const b = written();
    b.roomDeclined(ONE.email, null, now);
    expect(b.view().warnings).toEqual(['ROOM_UNAVAILABLE']);
    // A declined room dropped from the booking is left as Exchange left it.
    expect(b.calendarWork).toBe('none');
    b.reschedule({ start: new Date('2026-12-03T10:00:00Z'), room: TWO, now });
    expect(b.room).toEqual(TWO);
    expect(b.view().warnings).toEqual([]);
    expect(b.declinedRooms).toEqual([]);
    expect(b.calendarWork).toBe('move');
    b.calendarWritten({
      eventId: 'ev-1',
      joinUrl: 'https://teams.example/1',
      start: b.start,
      end: b.end,
      now,
    });
    expect(b.calendarWork).toBe('room');
    b.calendarWritten({
      eventId: 'ev-1',
      joinUrl: 'https://teams.example/1',
      room: TWO.email,
      start: b.start,
      end: b.end,
      now,
    });
    expect(b.calendarWork).toBe('none');
  });

  it('with no room (an optional pool, none free) takes the room off the event', () => {
    const b = written();
    b.reschedule({ start: new Date('2026-12-03T09:00:00Z'), room: null, now });
    expect(b.room).toBeNull();
    expect(b.takesNewRoom).toBe(false);
    expect(b.calendarWork).toBe('room');
  });
});
