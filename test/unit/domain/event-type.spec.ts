// Event types: every rule of a definition reported with its field, PATCH checked as a whole, and the Teams
// licence warning.
import { EventType, type EventTypeDefinition } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';

const now = new Date('2026-12-01T08:00:00Z');
const valid: EventTypeDefinition = {
  slug: 'intro-call',
  title: 'Intro call',
  durationMinutes: 30,
  location: { kind: 'teams' },
  hostIds: ['A0000000-0000-4000-8000-000000000001'],
  assignment: 'single',
};

const create = (overrides: Partial<EventTypeDefinition> | Record<string, unknown> = {}) =>
  EventType.create({ ...valid, ...overrides, id: 'e1', workspaceId: 'ws', now } as never);

function fields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).errors.map((e) => e.field);
  }
  throw new Error('expected a validation failure');
}

describe('EventType.create', () => {
  it('defaults the slot interval to the duration and lowercases host ids', () => {
    const e = create();
    expect(e.slotIntervalMinutes).toBe(30);
    expect(e.toSnapshot().slotIntervalMinutes).toBeNull();
    expect(e.hostIds).toEqual(['a0000000-0000-4000-8000-000000000001']);
    expect(e.location).toEqual({ kind: 'teams', value: null });
  });

  it('refuses a slug that is not kebab-case, or too long', () => {
    for (const slug of ['Intro', 'intro_call', '-intro', 'intro-', 'intro--call', '', 'a'.repeat(101)]) {
      expect(fields(() => create({ slug }))).toEqual(['slug']);
    }
    expect(create({ slug: 'a1-b2-c3' }).slug).toBe('a1-b2-c3');
  });

  it('keeps the duration and slot interval between 5 and 720 whole minutes', () => {
    expect(fields(() => create({ durationMinutes: 4 }))).toEqual(['durationMinutes']);
    expect(fields(() => create({ durationMinutes: 721 }))).toEqual(['durationMinutes']);
    expect(fields(() => create({ durationMinutes: 30.5 }))).toEqual(['durationMinutes']);
    expect(fields(() => create({ slotIntervalMinutes: 0 }))).toEqual(['slotIntervalMinutes']);
    expect(create({ durationMinutes: 5, slotIntervalMinutes: 720 }).slotIntervalMinutes).toBe(720);
  });

  it('requires a value for in-person and phone, and refuses one for Teams', () => {
    expect(fields(() => create({ location: { kind: 'in_person' } }))).toEqual(['location.value']);
    expect(fields(() => create({ location: { kind: 'phone', value: '   ' } }))).toEqual(['location.value']);
    expect(fields(() => create({ location: { kind: 'teams', value: 'room 1' } }))).toEqual([
      'location.value',
    ]);
    expect(fields(() => create({ location: { kind: 'zoom' } }))).toEqual(['location.kind']);
    expect(create({ location: { kind: 'phone', value: ' +33 1 23 45 67 89 ' } }).location).toEqual({
      kind: 'phone',
      value: '+33 1 23 45 67 89',
    });
  });

  it('needs at least one host, no host twice, and exactly one for single assignment', () => {
    const a = 'a0000000-0000-4000-8000-000000000001';
    const b = 'b0000000-0000-4000-8000-000000000002';
    expect(fields(() => create({ hostIds: [] }))).toEqual(['hostIds']);
    expect(fields(() => create({ hostIds: [a, a.toUpperCase()], assignment: 'round_robin' }))).toEqual([
      'hostIds',
    ]);
    expect(fields(() => create({ hostIds: [a, b], assignment: 'single' }))).toEqual(['hostIds']);
    expect(fields(() => create({ assignment: 'pairs' }))).toEqual(['assignment']);
    expect(create({ hostIds: [a], assignment: 'round_robin' }).assignment).toBe('round_robin');
  });

  it('needs 2 to 20 hosts for collective assignment, and asks the engine for every host', () => {
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(fields(() => create({ hostIds: ids(1), assignment: 'collective' }))).toEqual(['hostIds']);
    expect(fields(() => create({ hostIds: ids(21), assignment: 'collective' }))).toEqual(['hostIds']);
    const two = create({ hostIds: ids(2), assignment: 'collective' });
    expect(two.isCollective).toBe(true);
    expect(two.hostsNeeded).toBe('all');
    expect(two.hostIds).toEqual(ids(2));
    expect(create({ hostIds: ids(20), assignment: 'collective' }).hostIds).toHaveLength(20);
    expect(create({ hostIds: ids(2), assignment: 'round_robin' }).hostsNeeded).toBe('any');
    // A PATCH to collective is checked with the hosts it keeps.
    const single = create();
    expect(fields(() => single.change({ assignment: 'collective' }, now))).toEqual(['hostIds']);
  });
});

describe('EventType.change', () => {
  it('checks the changed fields together with the others and changes nothing on failure', () => {
    const e = create();
    const before = e.toSnapshot();
    expect(
      fields(() =>
        e.change(
          { hostIds: [...valid.hostIds, 'b0000000-0000-4000-8000-000000000002'] },
          new Date('2026-12-02T00:00:00Z'),
        ),
      ),
    ).toEqual(['hostIds']);
    expect(e.toSnapshot()).toEqual(before);
  });

  it('applies the changes, and a null slot interval goes back to following the duration', () => {
    const e = create({ slotIntervalMinutes: 15 });
    const later = new Date('2026-12-02T00:00:00Z');
    e.change({ durationMinutes: 60, title: ' Longer ' }, later);
    expect(e.slotIntervalMinutes).toBe(15);
    e.change({ slotIntervalMinutes: null }, later);
    expect(e.slotIntervalMinutes).toBe(60);
    expect(e.toSnapshot()).toMatchObject({ title: 'Longer', updatedAt: later, createdAt: now });
  });
});

describe('warnings', () => {
  const a = 'a0000000-0000-4000-8000-000000000001';
  const b = 'b0000000-0000-4000-8000-000000000002';
  const c = 'c0000000-0000-4000-8000-000000000003';
  const teamsEnabled = new Map([
    [a, false],
    [b, true],
  ]);

  it('names each host of a Teams event type whose mailbox cannot create Teams meetings', () => {
    const e = create({ hostIds: [a, b, c], assignment: 'round_robin' });
    expect(e.warnings(teamsEnabled)).toEqual([{ code: 'TEAMS_LICENCE_MISSING', memberId: a }]);
  });

  it('says nothing for in-person or phone event types', () => {
    const e = create({ hostIds: [a], location: { kind: 'in_person', value: 'HQ' } });
    expect(e.warnings(teamsEnabled)).toEqual([]);
  });
});

describe('EventType booking page', () => {
  it('is off unless asked for, switches on and off by change, and refuses anything but a boolean', () => {
    expect(create().bookingPageEnabled).toBe(false);
    const e = create({ bookingPage: { enabled: true } });
    expect(e.bookingPageEnabled).toBe(true);
    e.change({ title: 'Renamed' }, now);
    expect(e.bookingPageEnabled).toBe(true);
    e.change({ bookingPage: { enabled: false } }, now);
    expect(e.toSnapshot().bookingPageEnabled).toBe(false);
    expect(fields(() => create({ bookingPage: { enabled: 'yes' } }))).toEqual(['bookingPage.enabled']);
    expect(fields(() => create({ bookingPage: null }))).toEqual(['bookingPage.enabled']);
  });
});

describe('EventType with questions', () => {
  const q = { id: 'company', kind: 'text', label: 'Company', required: true };

  it('has none by default, keeps them on create, replaces them on change, clears them with null', () => {
    const e = create();
    expect(e.questions).toEqual([]);
    e.change({ questions: [q] }, now);
    expect(e.questions).toEqual([
      { id: 'company', kind: 'text', label: 'Company', required: true, options: null },
    ]);
    e.change({ title: 'Other' }, now);
    expect(e.questions).toHaveLength(1);
    const copy = EventType.fromSnapshot(e.toSnapshot());
    expect(copy.questions).toEqual(e.questions);
    e.change({ questions: null }, now);
    expect(e.questions).toEqual([]);
  });

  it('refuses a bad question with the other fields, naming it, and changes nothing', () => {
    const e = create({ questions: [q] });
    const refused = () => e.change({ title: '', questions: [q, { ...q, id: 'b', label: '' }] }, now);
    expect(fields(refused)).toEqual(['title', 'questions[1].label']);
    expect(e.questions).toHaveLength(1);
    expect(e.toSnapshot().title).toBe('Intro call');
  });
});

describe('EventType limits', () => {
  it('has none unless set; keeps those set, as the engine takes them', () => {
    const none = create();
    expect(none.toSnapshot()).toMatchObject({
      limits: { perDay: null, perWeek: null },
      minimumGapMinutes: 0,
    });
    expect(none.limits).toEqual({});
    const some = create({ limits: { perDay: 3 }, minimumGapMinutes: 15 });
    expect(some.limits).toEqual({ perDay: 3, minimumGapMinutes: 15 });
    expect(some.slotPolicy()).toEqual({ durationMinutes: 30, slotIntervalMinutes: 30, limits: some.limits });
  });

  it('refuses limits that are not whole numbers in range, naming the field', () => {
    expect(fields(() => create({ limits: { perDay: 0 } }))).toEqual(['limits.perDay']);
    expect(fields(() => create({ limits: { perDay: 101 } }))).toEqual(['limits.perDay']);
    expect(fields(() => create({ limits: { perWeek: 1.5 } }))).toEqual(['limits.perWeek']);
    expect(fields(() => create({ limits: { perWeek: 501 } }))).toEqual(['limits.perWeek']);
    expect(fields(() => create({ limits: { perDay: '2' } }))).toEqual(['limits.perDay']);
    expect(fields(() => create({ limits: [] }))).toEqual(['limits']);
    expect(fields(() => create({ minimumGapMinutes: -5 }))).toEqual(['minimumGapMinutes']);
    expect(fields(() => create({ minimumGapMinutes: 1441 }))).toEqual(['minimumGapMinutes']);
    expect(create({ limits: { perDay: 100, perWeek: 500 }, minimumGapMinutes: 1440 }).limits).toEqual({
      perDay: 100,
      perWeek: 500,
      minimumGapMinutes: 1440,
    });
  });

  it('changes them as a whole: null clears the limits, an absent field keeps them', () => {
    const e = create({ limits: { perDay: 3, perWeek: 10 }, minimumGapMinutes: 15 });
    e.change({ title: 'Renamed' }, now);
    expect(e.limits).toEqual({ perDay: 3, perWeek: 10, minimumGapMinutes: 15 });
    e.change({ limits: { perWeek: 5 } }, now);
    expect(e.limits).toEqual({ perWeek: 5, minimumGapMinutes: 15 });
    e.change({ limits: null, minimumGapMinutes: null }, now);
    expect(e.limits).toEqual({});
    expect(fields(() => e.change({ limits: { perDay: -1 } }, now))).toEqual(['limits.perDay']);
    expect(e.limits).toEqual({});
  });
});

describe('EventType rooms', () => {
  const pool = (rooms: unknown, required: unknown = true) => ({ rooms: { rooms, required } });

  it('has none unless set; keeps the pool in its order, addresses in lower case, the address for a missing name', () => {
    expect(create().rooms).toBeNull();
    const e = create(
      pool([
        { email: ' Room-2@Contoso.com ', name: ' Harbour ' },
        { email: 'room-1@contoso.com', name: null },
      ]),
    );
    expect(e.rooms).toEqual({
      rooms: [
        { email: 'room-2@contoso.com', name: 'Harbour' },
        { email: 'room-1@contoso.com', name: 'room-1@contoso.com' },
      ],
      required: true,
    });
    expect(EventType.fromSnapshot(e.toSnapshot()).toSnapshot()).toEqual(e.toSnapshot());
  });

  it('refuses a pool that is not 1 to 20 distinct room addresses with a yes/no required, naming the field', () => {
    expect(fields(() => create({ rooms: [] }))).toEqual(['rooms']);
    expect(fields(() => create({ rooms: 'room-1@contoso.com' }))).toEqual(['rooms']);
    expect(fields(() => create(pool([])))).toEqual(['rooms.rooms']);
    const many = Array.from({ length: 21 }, (_, i) => ({ email: `room-${i}@contoso.com` }));
    expect(fields(() => create(pool(many)))).toEqual(['rooms.rooms']);
    expect(create(pool(many.slice(0, 20))).rooms?.rooms).toHaveLength(20);
    expect(fields(() => create(pool([{ email: 'room-1@contoso.com' }], 'yes')))).toEqual(['rooms.required']);
    expect(fields(() => create(pool([{ email: 'not an address' }])))).toEqual(['rooms.rooms[0].email']);
    expect(fields(() => create(pool(['room-1@contoso.com'])))).toEqual(['rooms.rooms[0]']);
    expect(
      fields(() => create(pool([{ email: 'room-1@contoso.com' }, { email: 'ROOM-1@contoso.com' }]))),
    ).toEqual(['rooms.rooms[1].email']);
    expect(fields(() => create(pool([{ email: 'room-1@contoso.com', name: '  ' }])))).toEqual([
      'rooms.rooms[0].name',
    ]);
    expect(fields(() => create(pool([{ email: 'room-1@contoso.com', name: 'x'.repeat(201) }])))).toEqual([
      'rooms.rooms[0].name',
    ]);
  });

  it('changes as a whole: an absent field keeps the pool, null removes it, a bad one changes nothing', () => {
    const e = create(pool([{ email: 'room-1@contoso.com', name: 'Harbour' }], false));
    e.change({ title: 'Renamed' }, now);
    expect(e.rooms).toEqual({ rooms: [{ email: 'room-1@contoso.com', name: 'Harbour' }], required: false });
    expect(fields(() => e.change(pool([{ email: 'x' }]), now))).toEqual(['rooms.rooms[0].email']);
    expect(e.rooms?.required).toBe(false);
    e.change({ rooms: null }, now);
    expect(e.rooms).toBeNull();
  });
});
