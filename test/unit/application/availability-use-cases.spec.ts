// Availability, event type, slots and explain use cases on in-memory fakes: a Paris host working
// 09:00–17:00 (08:00–16:00Z in December), Microsoft 365 free/busy set by hand per mailbox.
import { randomUUID } from 'node:crypto';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { DAY_MS } from '@domain/availability/zoned-time.js';
import type { AvailabilitySettings } from '@domain/availability/availability-policy.js';
import type { ConnectionStatus } from '@domain/connection/microsoft-connection.js';
import type { EventTypeDefinition } from '@domain/event-type/event-type.js';
import type { ErrorCode } from '@domain/shared/domain-error.js';
import type { IdGenerator } from '@application/ports/id-generator.js';
import { PutAvailability } from '@application/availability/put-availability.use-case.js';
import { GetAvailability } from '@application/availability/get-availability.use-case.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { EventTypeWarnings } from '@application/event-type/event-type-warnings.js';
import { CreateEventType } from '@application/event-type/create-event-type.use-case.js';
import { GetEventType } from '@application/event-type/get-event-type.use-case.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { UpdateEventType } from '@application/event-type/update-event-type.use-case.js';
import { DeleteEventType } from '@application/event-type/delete-event-type.use-case.js';
import { InMemoryEventTypeReadModel } from '@adapters/in-memory/in-memory-event-type.read-model.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { CachedFreeBusyGateway } from '@adapters/cache/cached-free-busy.gateway.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { aBooking } from '../../builders/booking.builder.js';
import { aHold } from '../../builders/hold.builder.js';
import { aMember } from '../../builders/member.builder.js';
import { recordMicrosoftFailure } from '../../builders/microsoft-failure.builder.js';
import { aConnection, someSettings } from '../../builders/availability.builder.js';
import { ROOM_ONE, ROOM_TWO, roomPool } from '../../builders/room.builder.js';

const ids: IdGenerator = { next: () => randomUUID() };
const WS = randomUUID();
const OTHER_WS = randomUUID();

function setUp() {
  const clock = new FixedClock('2026-12-01T07:00:00Z');
  const members = new InMemoryMemberRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const policies = new InMemoryAvailabilityPolicyRepository();
  const eventTypes = new InMemoryEventTypeRepository();
  const bookings = new InMemoryBookingRepository();
  const booked = new InMemorySlotsReadModel({ eventTypes, members, connections, policies, bookings });
  const freeBusy = new FakeFreeBusyGateway();
  const warnings = new EventTypeWarnings(connections);
  const outbox = new InMemoryDomainEventOutbox();
  const hostCalendars = new HostCalendars(
    booked,
    freeBusy,
    recordMicrosoftFailure({ connections, members, outbox, clock }),
  );
  const uc = {
    put: new PutAvailability(members, policies, clock),
    get: new GetAvailability(members, policies, connections, clock),
    create: new CreateEventType(eventTypes, members, warnings, ids, clock),
    getEventType: new GetEventType(new InMemoryEventTypeReadModel(eventTypes, connections)),
    list: new ListEventTypes(eventTypes, warnings),
    update: new UpdateEventType(eventTypes, members, warnings, clock),
    remove: new DeleteEventType(eventTypes),
    slots: new GetSlots(hostCalendars, clock, new RoomCalendars(freeBusy)),
    explain: new ExplainSlot(hostCalendars, clock, new RoomCalendars(freeBusy)),
  };

  async function host(
    name: string,
    options: {
      status?: ConnectionStatus | 'none';
      settings?: Partial<AvailabilitySettings>;
      teamsEnabled?: boolean;
      workspaceId?: string;
      active?: boolean;
    } = {},
  ) {
    const workspaceId = options.workspaceId ?? WS;
    const member = aMember({ workspaceId, email: `${name}@contoso.com` });
    if (options.active !== false) member.change({ status: 'active' }, clock.now());
    await members.add(member);
    if (options.status !== 'none') {
      await connections.save(
        aConnection({
          workspaceId,
          memberId: member.id,
          mailbox: `${name}@contoso.com`,
          status: options.status,
          teamsEnabled: options.teamsEnabled,
        }),
      );
    }
    if (options.settings) {
      await uc.put.execute({ workspaceId, memberId: member.id, settings: someSettings(options.settings) });
    }
    return member.id;
  }

  async function eventType(hostIds: string[], overrides: Partial<EventTypeDefinition> = {}) {
    const { eventType: e } = await uc.create.execute({
      workspaceId: WS,
      definition: {
        slug: `meet-${randomUUID().slice(0, 8)}`,
        title: 'Meet',
        durationMinutes: 60,
        location: { kind: 'teams' },
        hostIds,
        assignment: hostIds.length === 1 ? 'single' : 'round_robin',
        ...overrides,
      },
    });
    return e.id;
  }

  /** Slots on Tuesday 1 December 2026, UTC. */
  const tuesday = (eventTypeId: string, extra: { timeZone?: string } = {}) =>
    uc.slots.execute({
      workspaceId: WS,
      eventTypeId,
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-02T00:00:00Z'),
      ...extra,
    });

  return {
    clock,
    members,
    connections,
    policies,
    booked,
    bookings,
    freeBusy,
    outbox,
    uc,
    host,
    eventType,
    tuesday,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'none'> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return (error as { code: ErrorCode }).code;
  }
}

const hours = (...isoHours: number[]) =>
  isoHours.map((h) => `2026-12-01T${String(h).padStart(2, '0')}:00:00Z`);
const starts = (r: { slots: { start: string }[] }) => r.slots.map((s) => s.start);

describe('PutAvailability and GetAvailability', () => {
  it('stores a policy and reads it back; another workspace cannot see or set it', async () => {
    const t = setUp();
    const id = await t.host('adele');
    const stored = await t.uc.put.execute({
      workspaceId: WS,
      memberId: id,
      settings: someSettings({ bufferAfterMinutes: 15 }),
    });
    expect((await t.uc.get.execute({ workspaceId: WS, memberId: id })).toSnapshot()).toEqual(
      stored.toSnapshot(),
    );
    expect(await codeOf(t.uc.get.execute({ workspaceId: OTHER_WS, memberId: id }))).toBe('NOT_FOUND');
    expect(
      await codeOf(t.uc.put.execute({ workspaceId: OTHER_WS, memberId: id, settings: someSettings() })),
    ).toBe('NOT_FOUND');
  });

  it("gives a member without a policy the default one in their mailbox's zone", async () => {
    const t = setUp();
    const id = await t.host('adele');
    const policy = await t.uc.get.execute({ workspaceId: WS, memberId: id });
    expect(policy.isDefault).toBe(true);
    expect(policy.timeZone).toBe('Europe/Paris');
    const unconnected = await t.host('bob', { status: 'none' });
    expect((await t.uc.get.execute({ workspaceId: WS, memberId: unconnected })).timeZone).toBe('UTC');
  });

  it('changes nothing when the new policy is invalid', async () => {
    const t = setUp();
    const id = await t.host('adele', { settings: { bufferBeforeMinutes: 5 } });
    const before = (await t.uc.get.execute({ workspaceId: WS, memberId: id })).toSnapshot();
    expect(
      await codeOf(
        t.uc.put.execute({
          workspaceId: WS,
          memberId: id,
          settings: someSettings({ bufferBeforeMinutes: -1 }),
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect((await t.uc.get.execute({ workspaceId: WS, memberId: id })).toSnapshot()).toEqual(before);
  });
});

describe('event type use cases', () => {
  it('refuses a host who is not a member of the workspace, and writes nothing', async () => {
    const t = setUp();
    const stranger = await t.host('stranger', { workspaceId: OTHER_WS });
    const error = await t.eventType([stranger]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'hostIds' }] });
    expect((await t.uc.list.execute({ workspaceId: WS, page: { limit: 10 } })).data).toEqual([]);
  });

  it('warns about Teams event types whose host cannot create Teams meetings', async () => {
    const t = setUp();
    const noTeams = await t.host('noteams', { teamsEnabled: false });
    const ok = await t.host('ok');
    const id = await t.eventType([noTeams, ok]);
    const found = await t.uc.getEventType.execute({ workspaceId: WS, eventTypeId: id });
    expect(found.warnings).toEqual([{ code: 'TEAMS_LICENCE_MISSING', memberId: noTeams }]);
    const changed = await t.uc.update.execute({
      workspaceId: WS,
      eventTypeId: id,
      changes: { location: { kind: 'in_person', value: 'HQ' } },
    });
    expect(changed.warnings).toEqual([]);
  });

  it('updates, lists and deletes only within the workspace; a failed update changes nothing', async () => {
    const t = setUp();
    const a = await t.host('a');
    const id = await t.eventType([a]);
    expect(
      await codeOf(t.uc.update.execute({ workspaceId: OTHER_WS, eventTypeId: id, changes: { title: 'x' } })),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        t.uc.update.execute({
          workspaceId: WS,
          eventTypeId: id,
          changes: { title: 'x', durationMinutes: 1 },
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      (await t.uc.getEventType.execute({ workspaceId: WS, eventTypeId: id })).eventType.toSnapshot().title,
    ).toBe('Meet');
    expect(await codeOf(t.uc.remove.execute({ workspaceId: OTHER_WS, eventTypeId: id }))).toBe('NOT_FOUND');
    await t.uc.remove.execute({ workspaceId: WS, eventTypeId: id });
    expect(await codeOf(t.uc.getEventType.execute({ workspaceId: WS, eventTypeId: id }))).toBe('NOT_FOUND');
  });
});

describe('GetSlots with rooms', () => {
  const pool = roomPool;

  it('offers a start of a required pool only when a room is free for the meeting (no buffers for rooms)', async () => {
    const t = setUp();
    const adele = await t.host('adele', { settings: { bufferBeforeMinutes: 30 } });
    const id = await t.eventType([adele], pool(true));
    t.freeBusy
      .add('room-1@contoso.com', {
        start: '2026-12-01T08:00:00Z',
        end: '2026-12-01T11:00:00Z',
        status: 'busy',
      })
      .add('room-2@contoso.com', {
        start: '2026-12-01T09:00:00Z',
        end: '2026-12-01T10:00:00Z',
        status: 'busy',
      })
      .add('room-2@contoso.com', {
        start: '2026-12-01T10:00:00Z',
        end: '2026-12-01T11:00:00Z',
        status: 'free',
      })
      .add('room-1@contoso.com', {
        start: '2026-12-01T13:00:00Z',
        end: '2026-12-01T14:00:00Z',
        status: 'tentative',
      })
      .add('room-2@contoso.com', {
        start: '2026-12-01T13:30:00Z',
        end: '2026-12-01T14:30:00Z',
        status: 'busy',
      });
    const result = await t.tuesday(id);
    // 09:00 has neither room; 13:00 neither (tentative blocks a room); 14:00 has room 1 (touching is free).
    expect(starts(result)).toEqual(hours(8, 10, 11, 12, 14, 15));
    // The room read used the host's token, for the rooms only, with the hosts' read as the other.
    const roomRead = t.freeBusy.requests.find((r) => r.rooms);
    expect(roomRead).toMatchObject({
      memberId: adele,
      mailbox: 'room-1@contoso.com',
      extraCalendars: ['room-2@contoso.com'],
    });
  });

  it('takes no start away for an optional pool, and reads no room for it', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })], pool(false));
    t.freeBusy.add('room-1@contoso.com', {
      start: '2026-12-01T08:00:00Z',
      end: '2026-12-02T00:00:00Z',
      status: 'busy',
    });
    t.freeBusy.add('room-2@contoso.com', {
      start: '2026-12-01T08:00:00Z',
      end: '2026-12-02T00:00:00Z',
      status: 'busy',
    });
    expect(starts(await t.tuesday(id))).toEqual(hours(8, 9, 10, 11, 12, 13, 14, 15));
    expect(t.freeBusy.requests.some((r) => r.rooms)).toBe(false);
  });

  it('counts a room it cannot read as busy, and reads the others without it', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })], pool(true));
    t.freeBusy.fail('room-1@contoso.com');
    t.freeBusy.add('room-2@contoso.com', {
      start: '2026-12-01T08:00:00Z',
      end: '2026-12-01T12:00:00Z',
      status: 'busy',
    });
    expect(starts(await t.tuesday(id))).toEqual(hours(12, 13, 14, 15));
    t.freeBusy.fail('room-2@contoso.com');
    expect(starts(await t.tuesday(id))).toEqual([]);
  });
});

describe('kailenty’s own claims on rooms, in slots and explain', () => {
  const ONE = ROOM_ONE;
  const TWO = ROOM_TWO;
  const pool = roomPool;
  const explainAt = (t: ReturnType<typeof setUp>, eventTypeId: string, at: string) =>
    t.uc.explain.execute({ workspaceId: WS, eventTypeId, at: new Date(at) });

  it('takes away a start whose only room a kailenty booking or live hold has, though Microsoft 365 shows it free', async () => {
    const t = setUp();
    const adele = await t.host('adele', { settings: {} });
    const other = await t.host('other', { settings: {} });
    const id = await t.eventType([adele], pool(true, [ONE]));
    const booking = aBooking({
      workspaceId: WS,
      hostId: other,
      start: hours(9)[0],
      durationMinutes: 60,
      room: ONE,
    });
    await t.bookings.add(booking);
    const hold = aHold({
      workspaceId: WS,
      hostId: other,
      start: hours(11)[0],
      durationMinutes: 30,
      room: { ...ONE, email: 'ROOM-1@contoso.com' },
      now: t.clock.now(),
      expiresInSeconds: 60,
    });
    t.bookings.holds.set(hold.id, hold.toSnapshot());
    // Another room's claim, another workspace's, and a cancelled booking's take nothing.
    await t.bookings.add(aBooking({ workspaceId: WS, hostId: other, start: hours(12)[0], room: TWO }));
    await t.bookings.add(aBooking({ workspaceId: OTHER_WS, start: hours(13)[0], room: ONE }));
    expect(starts(await t.tuesday(id))).toEqual(hours(8, 10, 12, 13, 14, 15));
    expect(await explainAt(t, id, hours(9)[0])).toMatchObject({
      offered: false,
      room: null,
      hosts: [
        {
          offered: false,
          reasons: [
            {
              code: 'room',
              message: expect.stringContaining('room-1@contoso.com'),
              rooms: [
                {
                  email: 'room-1@contoso.com',
                  unreadable: false,
                  busy: [{ start: hours(9)[0], end: hours(10)[0], bookingId: booking.id }],
                },
              ],
            },
          ],
        },
      ],
    });
    // The hold gives the room back when it expires.
    t.clock.advance(60_000);
    expect(starts(await t.tuesday(id))).toEqual(hours(8, 10, 11, 12, 13, 14, 15));
    expect(await explainAt(t, id, hours(11)[0])).toMatchObject({ offered: true, room: ONE });
  });

  it('explains a required pool with no room free by what takes each room; an optional pool names the room a booking would take', async () => {
    const t = setUp();
    const adele = await t.host('adele', { settings: {} });
    const required = await t.eventType([adele], pool(true));
    const optional = await t.eventType([adele], pool(false));
    t.freeBusy
      .add('room-1@contoso.com', { start: hours(9)[0], end: hours(11)[0], status: 'tentative' })
      .fail('room-2@contoso.com');
    const refused = await explainAt(t, required, hours(10)[0]);
    expect(refused.offered).toBe(false);
    expect(refused.room).toBeNull();
    expect(refused.hosts[0].reasons).toEqual([
      {
        code: 'room',
        message: expect.any(String),
        rooms: [
          {
            email: 'room-1@contoso.com',
            unreadable: false,
            busy: [{ start: hours(9)[0], end: hours(11)[0], bookingId: null }],
          },
          { email: 'room-2@contoso.com', unreadable: true, busy: [] },
        ],
      },
    ]);
    // An optional pool offers the start all the same, without a room; then with the first free one.
    expect(await explainAt(t, optional, hours(10)[0])).toMatchObject({ offered: true, room: null });
    expect(await explainAt(t, optional, hours(12)[0])).toMatchObject({ offered: true, room: ONE });
    // A start the hosts do not offer takes no room, and says every reason.
    const night = await explainAt(t, required, '2026-12-01T20:00:00Z');
    expect(night).toMatchObject({ offered: false, room: null });
    // An event type without rooms says nothing of rooms.
    expect(await explainAt(t, await t.eventType([adele]), hours(10)[0])).not.toHaveProperty('room');
  });

  it('explain and /slots agree on every start of a day of a pooled event type, claims and room calendars mixed', async () => {
    const t = setUp();
    const [adele, bruno] = [await t.host('adele', { settings: {} }), await t.host('bruno', { settings: {} })];
    const id = await t.eventType([adele, bruno], { ...pool(true), slotIntervalMinutes: 30 });
    t.freeBusy
      .add('room-1@contoso.com', { start: hours(8)[0], end: hours(10)[0], status: 'busy' })
      .add('room-2@contoso.com', { start: '2026-12-01T09:30:00Z', end: hours(12)[0], status: 'busy' })
      .add('adele@contoso.com', { start: hours(13)[0], end: hours(15)[0], status: 'busy' });
    await t.bookings.add(
      aBooking({ workspaceId: WS, hostId: bruno, start: hours(12)[0], durationMinutes: 90, room: ONE }),
    );
    const offered = (await t.tuesday(id)).slots.map((s) => s.start);
    expect(offered.length).toBeGreaterThan(0);
    for (let m = 0; m < 24 * 60; m += 30) {
      const at = new Date(Date.parse('2026-12-01T00:00:00Z') + m * 60_000)
        .toISOString()
        .replace('.000Z', 'Z');
      const explained = await explainAt(t, id, at);
      expect({ at, offered: explained.offered }).toEqual({ at, offered: offered.includes(at) });
      expect(explained.hosts.every((h) => h.offered === (h.reasons.length === 0))).toBe(true);
    }
  });
});

describe('GetSlots', () => {
  it("offers a single host's working hours, in the host's zone", async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    const result = await t.tuesday(id);
    expect(starts(result)).toEqual(hours(8, 9, 10, 11, 12, 13, 14, 15));
    expect(result.slots[0]).toEqual({ start: hours(8)[0], end: hours(9)[0], hostIds: [expect.any(String)] });
    expect(result).toMatchObject({ timeZone: 'UTC', warnings: [] });
  });

  it('writes times with the offset of the timeZone parameter, without changing which slots', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    const paris = await t.tuesday(id, { timeZone: 'Europe/Paris' });
    expect(paris.timeZone).toBe('Europe/Paris');
    expect(paris.slots[0]).toMatchObject({
      start: '2026-12-01T09:00:00+01:00',
      end: '2026-12-01T10:00:00+01:00',
    });
    const ny = await t.tuesday(id, { timeZone: 'America/New_York' });
    expect(ny.slots[0].start).toBe('2026-12-01T03:00:00-05:00');
    expect(ny.slots.map((s) => Date.parse(s.start))).toEqual(paris.slots.map((s) => Date.parse(s.start)));
    expect(await codeOf(t.tuesday(id, { timeZone: 'Paris' }))).toBe('VALIDATION_FAILED');
  });

  it('blocks the statuses of busyStatuses (default busy, oof, tentative), and unknown always', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    t.freeBusy
      .add('adele@contoso.com', { start: hours(8)[0], end: hours(9)[0], status: 'tentative' })
      .add('adele@contoso.com', { start: hours(9)[0], end: hours(10)[0], status: 'free' })
      .add('adele@contoso.com', { start: hours(10)[0], end: hours(11)[0], status: 'oof' })
      .add('adele@contoso.com', { start: hours(11)[0], end: hours(12)[0], status: 'workingElsewhere' })
      .add('adele@contoso.com', { start: hours(12)[0], end: hours(13)[0], status: 'unknown' })
      .add('adele@contoso.com', { start: hours(13)[0], end: hours(14)[0], status: 'busy' });
    expect(starts(await t.tuesday(id))).toEqual(hours(9, 11, 14, 15));
  });

  it('lets tentative and oof through when the policy lists only busy', async () => {
    const t = setUp();
    const id = await t.eventType([
      await t.host('adele', { settings: { busyStatuses: ['busy', 'workingElsewhere'] } }),
    ]);
    t.freeBusy
      .add('adele@contoso.com', { start: hours(8)[0], end: hours(9)[0], status: 'tentative' })
      .add('adele@contoso.com', { start: hours(10)[0], end: hours(11)[0], status: 'oof' })
      .add('adele@contoso.com', { start: hours(11)[0], end: hours(12)[0], status: 'workingElsewhere' })
      .add('adele@contoso.com', { start: hours(12)[0], end: hours(13)[0], status: 'unknown' });
    expect(starts(await t.tuesday(id))).toEqual(hours(8, 9, 10, 13, 14, 15));
  });

  it('blocks on room calendars (busy, oof, tentative, unknown) whatever busyStatuses says', async () => {
    const t = setUp();
    const id = await t.eventType([
      await t.host('adele', { settings: { busyStatuses: ['busy'], extraCalendars: ['room-1@contoso.com'] } }),
    ]);
    t.freeBusy
      .add('room-1@contoso.com', { start: hours(8)[0], end: hours(9)[0], status: 'tentative' })
      .add('room-1@contoso.com', { start: hours(9)[0], end: hours(10)[0], status: 'free' })
      .add('room-1@contoso.com', { start: hours(10)[0], end: hours(11)[0], status: 'busy' })
      .add('room-2@contoso.com', { start: hours(11)[0], end: hours(12)[0], status: 'busy' });
    expect(starts(await t.tuesday(id))).toEqual(hours(9, 11, 12, 13, 14, 15));
  });

  it('reads the host mailbox and extra calendars over the range widened by the buffers and a day', async () => {
    const t = setUp();
    const hostId = await t.host('adele', {
      settings: { bufferBeforeMinutes: 15, bufferAfterMinutes: 30, extraCalendars: ['room-1@contoso.com'] },
    });
    await t.tuesday(await t.eventType([hostId]));
    expect(t.freeBusy.requests).toEqual([
      {
        workspaceId: WS,
        memberId: hostId,
        mailbox: 'adele@contoso.com',
        extraCalendars: ['room-1@contoso.com'],
        start: Date.parse('2026-12-01T00:00:00Z') - 15 * 60_000 - DAY_MS,
        end: Date.parse('2026-12-02T00:00:00Z') + 30 * 60_000 + DAY_MS,
        calendarState: { version: 0, subscriptionLive: false },
      },
    ]);
  });

  it("blocks kailenty's own bookings, with the host's buffers", async () => {
    const t = setUp();
    const hostId = await t.host('adele', { settings: { bufferAfterMinutes: 30 } });
    const id = await t.eventType([hostId]);
    t.booked.addBooked(WS, hostId, {
      start: Date.parse(hours(10)[0]),
      end: Date.parse(hours(11)[0]),
      bookingId: 'b1',
    });
    t.booked.addBooked(OTHER_WS, hostId, {
      start: Date.parse(hours(14)[0]),
      end: Date.parse(hours(15)[0]),
      bookingId: 'x',
    });
    // 09:00 + 60 min + 30 min after runs into the booking at 10:00; 11:00 starts where it ends.
    expect(starts(await t.tuesday(id))).toEqual(hours(8, 11, 12, 13, 14, 15));
  });

  it('refuses a single host who is not connected or must reconnect with 409 codes', async () => {
    const t = setUp();
    expect(await codeOf(t.tuesday(await t.eventType([await t.host('none', { status: 'none' })])))).toBe(
      'MICROSOFT_NOT_CONNECTED',
    );
    expect(await codeOf(t.tuesday(await t.eventType([await t.host('revoked', { status: 'revoked' })])))).toBe(
      'CONSENT_REVOKED',
    );
    const reauth = await t.host('reauth', { status: 'reauthorization_required' });
    expect(await codeOf(t.tuesday(await t.eventType([reauth])))).toBe('CONSENT_REVOKED');
    const revokedOnRead = await t.host('late');
    t.freeBusy.fail('late@contoso.com', 'CONSENT_REVOKED', 'Graph 401');
    expect(await codeOf(t.tuesday(await t.eventType([revokedOnRead])))).toBe('CONSENT_REVOKED');
  });

  it('records a refusal the read met: the connection is revoked, connection.revoked sent once; an outage records nothing', async () => {
    const t = setUp();
    const [refused, down] = [await t.host('refused'), await t.host('down')];
    t.freeBusy.refuse(refused, { kind: 'reauthorization_required', tenantWide: false, reason: 'claims' });
    t.freeBusy.fail('down@contoso.com', 'MICROSOFT_UNAVAILABLE');
    const pool = await t.eventType([refused, down]);
    const out = await t.tuesday(pool);
    expect(out.warnings).toEqual([
      { code: 'CONSENT_REVOKED', memberId: refused },
      { code: 'MICROSOFT_UNAVAILABLE', memberId: down },
    ]);
    expect((await t.connections.findByMember(WS, refused))!.toSnapshot()).toMatchObject({
      status: 'reauthorization_required',
      statusReason: 'claims',
    });
    expect((await t.connections.findByMember(WS, down))!.status).toBe('connected');
    expect(t.outbox.events.map((e) => [e.type, (e.data as { id: string }).id])).toEqual([
      ['connection.revoked', refused],
    ]);
    // The next read does not ask Microsoft for the host again: known not ready, nothing more recorded.
    await t.tuesday(pool);
    expect(t.freeBusy.requests.filter((r) => r.memberId === refused)).toHaveLength(1);
    expect(t.outbox.events).toHaveLength(1);
  });

  it('offers nothing, never free, from a single host whose calendar cannot be read, and says why', async () => {
    const t = setUp();
    const hostId = await t.host('adele', { settings: { extraCalendars: ['room-1@contoso.com'] } });
    t.freeBusy.fail('room-1@contoso.com', 'RATE_LIMITED');
    expect(await t.tuesday(await t.eventType([hostId]))).toEqual({
      timeZone: 'UTC',
      asOf: '2026-12-01T07:00:00Z',
      slots: [],
      warnings: [{ code: 'RATE_LIMITED', memberId: hostId }],
    });
  });

  it("lists a pool's hosts that offer nothing in warnings and offers the others' starts", async () => {
    const t = setUp();
    const early = await t.host('early', {
      settings: { weekly: [{ day: 'tue', intervals: [{ start: '09:00', end: '11:00' }] }] },
    });
    const late = await t.host('late', {
      settings: { weekly: [{ day: 'tue', intervals: [{ start: '10:00', end: '12:00' }] }] },
    });
    const unconnected = await t.host('none', { status: 'none' });
    const revoked = await t.host('revoked', { status: 'revoked' });
    const failing = await t.host('failing', { settings: {} });
    t.freeBusy.fail('failing@contoso.com');
    const result = await t.tuesday(await t.eventType([early, late, unconnected, revoked, failing]));
    expect(result.slots).toEqual([
      { start: hours(8)[0], end: hours(9)[0], hostIds: [early] },
      { start: hours(9)[0], end: hours(10)[0], hostIds: [early, late] },
      { start: hours(10)[0], end: hours(11)[0], hostIds: [late] },
    ]);
    expect(result.warnings).toEqual([
      { code: 'MICROSOFT_NOT_CONNECTED', memberId: unconnected },
      { code: 'CONSENT_REVOKED', memberId: revoked },
      { code: 'MICROSOFT_UNAVAILABLE', memberId: failing },
    ]);
  });

  it('treats a gateway that throws as an unreadable calendar', async () => {
    const t = setUp();
    const hostId = await t.host('adele', { settings: {} });
    const other = await t.host('bob', { settings: {} });
    t.freeBusy.hostSchedule = async () => {
      throw new Error('socket hang up');
    };
    const result = await t.tuesday(await t.eventType([hostId, other]));
    expect(result.slots).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['MICROSOFT_UNAVAILABLE', 'MICROSOFT_UNAVAILABLE']);
  });

  it('accepts exactly 62 days and refuses 62 days and 1 ms with RANGE_TOO_LARGE', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    const start = new Date('2026-12-01T00:00:00Z');
    const exactly = new Date(start.getTime() + 62 * DAY_MS);
    const result = await t.uc.slots.execute({ workspaceId: WS, eventTypeId: id, start, end: exactly });
    expect(result.slots.length).toBeGreaterThan(300);
    const tooMuch = new Date(exactly.getTime() + 1);
    expect(await codeOf(t.uc.slots.execute({ workspaceId: WS, eventTypeId: id, start, end: tooMuch }))).toBe(
      'RANGE_TOO_LARGE',
    );
    expect(await codeOf(t.uc.slots.execute({ workspaceId: WS, eventTypeId: id, start, end: start }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it("does not show another workspace's event type", async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    expect(
      await codeOf(
        t.uc.slots.execute({
          workspaceId: OTHER_WS,
          eventTypeId: id,
          start: new Date('2026-12-01T00:00:00Z'),
          end: new Date(Date.parse('2026-12-01T00:00:00Z') + DAY_MS),
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('applies minimum notice and the horizon from now', async () => {
    const t = setUp();
    t.clock.set('2026-12-01T09:30:00Z');
    const id = await t.eventType([await t.host('adele', { settings: { minimumNoticeMinutes: 90 } })]);
    expect(starts(await t.tuesday(id))).toEqual(hours(11, 12, 13, 14, 15));
  });
});

describe('GetSlots asOf', () => {
  it('is the time of the answer when the calendars were read for it, or none could be read', async () => {
    const t = setUp();
    const id = await t.eventType([await t.host('adele', { settings: {} })]);
    expect((await t.tuesday(id)).asOf).toBe('2026-12-01T07:00:00Z');
    expect((await t.tuesday(id, { timeZone: 'Europe/Paris' })).asOf).toBe('2026-12-01T08:00:00+01:00');
    const pool = await t.eventType([
      await t.host('nobody', { status: 'revoked', settings: {} }),
      await t.host('none', { status: 'none', settings: {} }),
    ]);
    t.clock.advance(5_000);
    expect((await t.tuesday(pool)).asOf).toBe('2026-12-01T07:00:05Z');
  });

  it('is the oldest read of the hosts offered, a cached read counting from when it was read', async () => {
    const t = setUp();
    const cached = new CachedFreeBusyGateway(t.freeBusy, new InMemoryCalendarVersions(), t.clock);
    const slots = new GetSlots(
      new HostCalendars(
        t.booked,
        cached,
        recordMicrosoftFailure({ connections: t.connections, members: t.members, clock: t.clock }),
      ),
      t.clock,
      new RoomCalendars(cached),
    );
    const adele = await t.host('adele', { settings: {} });
    const bruno = await t.host('bruno', { settings: {} });
    const read = (eventTypeId: string) =>
      slots.execute({
        workspaceId: WS,
        eventTypeId,
        start: new Date('2026-12-01T00:00:00Z'),
        end: new Date('2026-12-02T00:00:00Z'),
      });
    const alone = await t.eventType([adele]);
    expect((await read(alone)).asOf).toBe('2026-12-01T07:00:00Z');
    t.clock.advance(60_000);
    expect((await read(alone)).asOf).toBe('2026-12-01T07:00:00Z');
    // Bruno is read now; Adele's cached read is still the oldest the pool's slots rest on.
    expect((await read(await t.eventType([bruno, adele]))).asOf).toBe('2026-12-01T07:00:00Z');
    t.freeBusy.fail('adele@contoso.com');
    t.clock.advance(4.5 * 60_000);
    // At 07:05:30 Adele's entry is past the 5 minutes and her read fails; Bruno's from 07:01 is kept:
    // the slots rest on his read alone.
    expect((await read(await t.eventType([bruno, adele]))).asOf).toBe('2026-12-01T07:01:00Z');
  });
});

describe('ExplainSlot', () => {
  const explainAt = (t: ReturnType<typeof setUp>, eventTypeId: string, at: string, timeZone?: string) =>
    t.uc.explain.execute({ workspaceId: WS, eventTypeId, at: new Date(at), timeZone });

  it('explains an offered start with no reasons', async () => {
    const t = setUp();
    const hostId = await t.host('adele', { settings: {} });
    const result = await explainAt(t, await t.eventType([hostId]), hours(9)[0], 'Europe/Paris');
    expect(result).toEqual({
      timeZone: 'Europe/Paris',
      start: '2026-12-01T10:00:00+01:00',
      end: '2026-12-01T11:00:00+01:00',
      offered: true,
      hosts: [{ hostId, offered: true, hostTimeZone: 'Europe/Paris', reasons: [], ignoredItems: [] }],
      warnings: [],
    });
  });

  it('names busy items with their status and calendar, bookings, buffers and ignored items', async () => {
    const t = setUp();
    const hostId = await t.host('adele', {
      settings: { bufferBeforeMinutes: 30, extraCalendars: ['room-1@contoso.com'] },
    });
    const id = await t.eventType([hostId]);
    t.freeBusy
      .add('room-1@contoso.com', {
        start: '2026-12-01T10:30:00Z',
        end: '2026-12-01T11:30:00Z',
        status: 'tentative',
      })
      .add('adele@contoso.com', {
        start: '2026-12-01T09:40:00Z',
        end: '2026-12-01T10:00:00Z',
        status: 'busy',
      })
      .add('adele@contoso.com', {
        start: '2026-12-01T10:00:00Z',
        end: '2026-12-01T10:15:00Z',
        status: 'free',
      });
    t.booked.addBooked(WS, hostId, {
      start: Date.parse('2026-12-01T10:45:00Z'),
      end: Date.parse('2026-12-01T11:15:00Z'),
      bookingId: 'bk-1',
    });
    const result = await explainAt(t, id, hours(10)[0]);
    expect(result.offered).toBe(false);
    expect(result.hosts[0].reasons).toEqual([
      {
        code: 'buffer',
        message: expect.any(String),
        start: '2026-12-01T09:40:00Z',
        end: '2026-12-01T10:00:00Z',
        source: 'calendar',
        status: 'busy',
        calendar: 'adele@contoso.com',
        bookingId: null,
      },
      {
        code: 'busy',
        message: expect.any(String),
        start: '2026-12-01T10:30:00Z',
        end: '2026-12-01T11:30:00Z',
        status: 'tentative',
        calendar: 'room-1@contoso.com',
      },
      {
        code: 'booking',
        message: expect.any(String),
        start: '2026-12-01T10:45:00Z',
        end: '2026-12-01T11:15:00Z',
        bookingId: 'bk-1',
      },
    ]);
    expect(result.hosts[0].ignoredItems).toEqual([
      {
        start: '2026-12-01T10:00:00Z',
        end: '2026-12-01T10:15:00Z',
        status: 'free',
        calendar: 'adele@contoso.com',
      },
    ]);
  });

  it('gives the rule reasons: off grid, outside hours, an override day off, notice and horizon', async () => {
    const t = setUp();
    const hostId = await t.host('adele', {
      settings: {
        minimumNoticeMinutes: 24 * 60,
        maxDaysAhead: 1,
        overrides: [{ date: '2026-12-03', intervals: [] }],
      },
    });
    const id = await t.eventType([hostId]);
    const codes = async (at: string) => (await explainAt(t, id, at)).hosts[0].reasons.map((r) => r.code);
    expect(await codes('2026-12-01T16:30:00Z')).toEqual(['not_on_grid', 'outside_hours', 'notice']);
    expect(await codes('2026-12-03T09:00:00Z')).toEqual(['outside_hours', 'override', 'horizon']);
    const override = (await explainAt(t, id, '2026-12-03T09:00:00Z')).hosts[0].reasons[1];
    expect(override).toMatchObject({ code: 'override', date: '2026-12-03', intervals: [] });
  });

  it('explains hosts that cannot be used instead of refusing, with their hours reasons too', async () => {
    const t = setUp();
    const none = await t.host('none', { status: 'none' });
    const revoked = await t.host('revoked', { status: 'reauthorization_required' });
    const failing = await t.host('failing', { settings: {} });
    const disabled = await t.host('disabled', { active: false });
    t.freeBusy.fail('failing@contoso.com', 'MICROSOFT_UNAVAILABLE', 'Graph 503');
    const result = await explainAt(
      t,
      await t.eventType([none, revoked, failing, disabled]),
      '2026-12-01T20:00:00Z',
    );
    expect(result.hosts.map((h) => h.reasons.map((r) => r.code))).toEqual([
      ['not_connected', 'outside_hours'],
      ['consent_revoked', 'outside_hours'],
      ['calendar_unreadable', 'outside_hours'],
      ['member_not_active', 'outside_hours'],
    ]);
    expect(result.hosts[1].reasons[0]).toMatchObject({ connection: 'reauthorization_required' });
    expect(result.hosts[2].reasons[0]).toMatchObject({
      errorCode: 'MICROSOFT_UNAVAILABLE',
      calendar: 'failing@contoso.com',
    });
    expect(result.warnings.map((w) => w.code)).toEqual([
      'MICROSOFT_NOT_CONNECTED',
      'CONSENT_REVOKED',
      'MICROSOFT_UNAVAILABLE',
      'ACCOUNT_NOT_ACTIVE',
    ]);
    // A usable host at an offered start makes the pool's start offered.
    const ok = await t.host('ok', { settings: {} });
    expect((await explainAt(t, await t.eventType([none, ok]), hours(9)[0])).offered).toBe(true);
  });
});
