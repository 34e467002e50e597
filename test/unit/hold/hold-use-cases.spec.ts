// Place, read, release and book holds on in-memory fakes: Paris hosts working 09:00–17:00 (08:00–16:00Z in
// December), Outlook in memory. A live hold keeps its start from bookings and other holds; the booking made
// from it needs no second read of Microsoft 365; an expired or released hold gives the time back.
import { randomUUID } from 'node:crypto';
import type { IdGenerator } from '@application/ports/id-generator.js';
import type { EventTypeDefinition } from '@domain/event-type/event-type.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import { FirstCalendarAttempt } from '@application/booking/first-calendar-attempt.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { GetHold } from '@application/hold/get-hold.use-case.js';
import { ReleaseHold } from '@application/hold/release-hold.use-case.js';
import { ReleaseHeldBy } from '@application/hold/release-held-by.use-case.js';
import { PurgeExpiredRecords } from '@application/maintenance/purge-expired-records.use-case.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { InMemoryHoldRepository } from '@adapters/in-memory/in-memory-hold.repository.js';
import { InMemoryCalendarSyncQueue } from '@adapters/in-memory/in-memory-calendar-sync.queue.js';
import { FakeCalendarWriter } from '@adapters/in-memory/fake-calendar.writer.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryMemberAccessReadModel } from '@adapters/in-memory/in-memory-member-access.read-model.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryAvailabilityPolicyRepository } from '@adapters/in-memory/in-memory-availability-policy.repository.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryIdempotencyStore } from '@adapters/in-memory/in-memory-idempotency.store.js';
import { InMemoryAuthorizationStateRepository } from '@adapters/in-memory/in-memory-authorization-state.repository.js';
import { InMemoryRateLimitCounters } from '@adapters/in-memory/in-memory-rate-limit-counters.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { aMember } from '../../builders/member.builder.js';
import { aConnection, anEventType } from '../../builders/availability.builder.js';
import { recordMicrosoftFailure } from '../../builders/microsoft-failure.builder.js';
import { testBookingResources, testManageTokens } from '../../support/booking-links.js';
import { ROOM_ONE, ROOM_TWO, roomPool } from '../../builders/room.builder.js';

const ids: IdGenerator = { next: () => randomUUID() };
const WS = randomUUID();
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: null };
const TEN = '2026-12-02T10:00:00Z';

function setUp() {
  const clock = new FixedClock('2026-12-01T07:00:00Z');
  const members = new InMemoryMemberRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const access = new InMemoryMemberAccessReadModel(connections, new InMemoryTenantConsentRepository());
  const policies = new InMemoryAvailabilityPolicyRepository();
  const eventTypes = new InMemoryEventTypeRepository();
  const bookings = new InMemoryBookingRepository();
  const holds = new InMemoryHoldRepository(bookings);
  const freeBusy = new FakeFreeBusyGateway();
  const hostCalendars = new HostCalendars(
    new InMemorySlotsReadModel({ eventTypes, members, connections, policies, bookings }),
    freeBusy,
    recordMicrosoftFailure({ connections, members, clock }),
  );
  const queue = new InMemoryCalendarSyncQueue();
  const outbox = new InMemoryDomainEventOutbox();
  const uow = new InMemoryUnitOfWork();
  const log = new RecordingOperationalLog();
  const tokens = testManageTokens();
  const committer = new BookingCommitter(bookings, queue, outbox, testBookingResources(tokens), uow);
  const sync = new SyncBookingCalendar(
    bookings,
    queue,
    new FakeCalendarWriter(),
    committer,
    new InMemoryCalendarVersions(),
    clock,
    uow,
    log,
    recordMicrosoftFailure({ connections, members, outbox, clock, log }),
  );
  const firstAttempt = new FirstCalendarAttempt(sync, queue, bookings, committer, clock, uow, 300);
  const uc = {
    place: new PlaceHold(
      hostCalendars,
      holds,
      bookings,
      connections,
      ids,
      clock,
      uow,
      new RoomCalendars(freeBusy),
    ),
    get: new GetHold(holds, clock),
    release: new ReleaseHold(holds, clock, uow),
    releaseHeldBy: new ReleaseHeldBy(holds, clock, uow),
    bookHold: new BookFromHold(
      holds,
      eventTypes,
      bookings,
      committer,
      firstAttempt,
      ids,
      tokens,
      clock,
      uow,
      new RoomCalendars(freeBusy),
    ),
    book: new BookSlot(
      hostCalendars,
      bookings,
      connections,
      committer,
      firstAttempt,
      ids,
      tokens,
      clock,
      new RoomCalendars(freeBusy),
      access,
    ),
    purge: new PurgeExpiredRecords(
      new InMemoryIdempotencyStore(),
      bookings,
      new InMemoryAuthorizationStateRepository(),
      clock,
      new InMemoryRateLimitCounters(clock),
      new InMemoryAuditTrail(),
      holds,
    ),
  };

  async function host(name: string) {
    const member = aMember({ workspaceId: WS, email: `${name}@contoso.com` });
    member.change({ status: 'active' }, clock.now());
    await members.add(member);
    await connections.save(
      aConnection({ workspaceId: WS, memberId: member.id, mailbox: `${name}@contoso.com` }),
    );
    return member.id;
  }

  async function eventType(hostIds: string[], overrides: Partial<EventTypeDefinition> = {}) {
    const e = anEventType({ workspaceId: WS, hostIds }, overrides);
    await eventTypes.add(e);
    return e.id;
  }

  const hold = (eventTypeId: string, start = TEN, expiresInSeconds?: number, holder?: string) =>
    uc.place.execute({ workspaceId: WS, eventTypeId, start: new Date(start), expiresInSeconds, holder });
  const bookHold = (holdId: string) => uc.bookHold.execute({ workspaceId: WS, holdId, guest, note: null });
  const bookAt = (eventTypeId: string, start = TEN) =>
    uc.book.execute({ workspaceId: WS, eventTypeId, start: new Date(start), guest, note: null });

  return { clock, freeBusy, uc, host, eventType, hold, bookHold, bookAt };
}

describe('holds', () => {
  it('keeps an offered start for 300 seconds by default: no booking and no other hold can take it', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const held = await t.hold(et);
    expect(held).toMatchObject({
      eventTypeId: et,
      hostId: ana,
      start: new Date(TEN),
      end: new Date('2026-12-02T10:30:00Z'),
      expiresAt: new Date('2026-12-01T07:05:00Z'),
      status: 'held',
    });
    await expect(t.hold(et)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.bookAt(et)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, '2026-12-02T10:15:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, '2026-12-02T10:30:00Z')).resolves.toMatchObject({ status: 'held' });
  });

  it('refuses to hold a collective event type (400 naming eventTypeId) before reading Microsoft 365', async () => {
    const t = setUp();
    const et = await t.eventType([await t.host('ana'), await t.host('ben')], { assignment: 'collective' });
    const reads = t.freeBusy.requests.length;
    await expect(t.hold(et)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'eventTypeId', message: expect.stringContaining('collective') }],
    });
    expect(t.freeBusy.requests.length).toBe(reads);
    await expect(t.bookAt(et)).resolves.toMatchObject({ status: 'confirmed' });
  });

  it('picks the host of a round-robin pool a booking would, and the next free one for the next hold', async () => {
    const t = setUp();
    const [ana, ben] = [await t.host('ana'), await t.host('ben')];
    const et = await t.eventType([ana, ben]);
    const first = await t.hold(et);
    const second = await t.hold(et);
    expect(new Set([first.hostId, second.hostId])).toEqual(new Set([ana, ben]));
    await expect(t.hold(et)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('checks the start like a booking does: a fresh read of Outlook, the event type and the expiry', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    t.freeBusy.add('ana@contoso.com', { start: TEN, end: '2026-12-02T11:00:00Z', status: 'busy' });
    await expect(t.hold(et)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, '2026-12-02T20:00:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(randomUUID(), '2026-12-02T12:00:00Z')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const seconds of [0, 901])
      await expect(t.hold(et, '2026-12-02T12:00:00Z', seconds)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field: 'expiresInSeconds' })],
      });
  });

  it('turns a live hold into the booking without asking Microsoft 365 again; the hold is booked once', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const held = await t.hold(et, TEN, 60);
    // Outlook says busy now: the hold owns the time, so the booking does not race a second read.
    t.freeBusy.add('ana@contoso.com', { start: TEN, end: '2026-12-02T11:00:00Z', status: 'busy' });
    t.clock.advance(59_000);
    const booking = await t.bookHold(held.id);
    expect(booking.toSnapshot()).toMatchObject({
      hostId: ana,
      eventTypeId: et,
      start: new Date(TEN),
      status: 'confirmed',
    });
    expect(await t.uc.get.execute({ workspaceId: WS, holdId: held.id })).toMatchObject({
      status: 'booked',
      bookingId: booking.id,
    });
    await expect(t.bookHold(held.id)).rejects.toMatchObject({ code: 'HOLD_EXPIRED' });
    await expect(t.uc.release.execute({ workspaceId: WS, holdId: held.id })).rejects.toMatchObject({
      code: 'HOLD_EXPIRED',
    });
  });

  it('gives the time back at its expiry: the hold says expired, cannot be booked, and the start is bookable', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const held = await t.hold(et, TEN, 30);
    t.clock.advance(30_000);
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: held.id })).status).toBe('expired');
    await expect(t.bookHold(held.id)).rejects.toMatchObject({ code: 'HOLD_EXPIRED' });
    await expect(t.bookAt(et)).resolves.toMatchObject({ hostId: ana });
  });

  it('gives the time back at once when released; releasing again changes nothing', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const held = await t.hold(et);
    expect(await t.uc.release.execute({ workspaceId: WS, holdId: held.id })).toMatchObject({
      status: 'released',
    });
    expect(await t.uc.release.execute({ workspaceId: WS, holdId: held.id })).toMatchObject({
      status: 'released',
    });
    await expect(t.bookHold(held.id)).rejects.toMatchObject({ code: 'HOLD_EXPIRED' });
    await expect(t.hold(et)).resolves.toMatchObject({ status: 'held' });
  });

  it('answers NOT_FOUND for a hold of another workspace or none, and checks the guest first', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const held = await t.hold(await t.eventType([ana]));
    await expect(t.uc.get.execute({ workspaceId: randomUUID(), holdId: held.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.uc.release.execute({ workspaceId: WS, holdId: randomUUID() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.bookHold(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.uc.bookHold.execute({
        workspaceId: WS,
        holdId: held.id,
        guest: { ...guest, email: 'nope' },
        note: null,
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'guest.email' })],
    });
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: held.id })).status).toBe('held');
  });

  it('is deleted by the cleanup an hour after its expiry', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const held = await t.hold(await t.eventType([ana]), TEN, 60);
    t.clock.advance(60_000 + 3_599_000);
    expect((await t.uc.purge.execute()).holds).toBe(0);
    t.clock.advance(1_000);
    expect((await t.uc.purge.execute()).holds).toBe(1);
    await expect(t.uc.get.execute({ workspaceId: WS, holdId: held.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('holds of an event type with rooms', () => {
  const pool = roomPool;
  const ONE = ROOM_ONE;
  const TWO = ROOM_TWO;

  it('keeps the first room free when placed, and the booking made from it takes that room', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    t.freeBusy.add('room-1@contoso.com', { start: TEN, end: '2026-12-02T10:15:00Z', status: 'busy' });
    const held = await t.hold(await t.eventType([ana], pool(true)));
    expect(held.room).toEqual(TWO);
    // Room two's calendar changes meanwhile: the hold keeps it for the booking all the same.
    t.freeBusy.add('room-2@contoso.com', { start: TEN, end: '2026-12-02T10:15:00Z', status: 'busy' });
    expect((await t.bookHold(held.id)).room).toEqual(TWO);
  });

  it('keeps its room from other bookings and holds while live, and gives it back when it expires', async () => {
    const t = setUp();
    const [ana, ben, cleo] = [await t.host('ana'), await t.host('ben'), await t.host('cleo')];
    const [a, b, c] = [
      await t.eventType([ana], pool(true)),
      await t.eventType([ben], pool(true)),
      await t.eventType([cleo], pool(true)),
    ];
    expect((await t.hold(a, TEN, 60)).room).toEqual(ONE);
    // Room one is free in Microsoft 365: only kailenty knows it is held.
    expect((await t.bookAt(b)).room).toEqual(TWO);
    await expect(t.hold(c)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.bookAt(c)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    t.clock.advance(60_000);
    expect((await t.hold(c)).room).toEqual(ONE);
  });

  it('gives its room back when released', async () => {
    const t = setUp();
    const [ana, ben] = [await t.host('ana'), await t.host('ben')];
    const pooled = { rooms: { rooms: [ONE], required: true } };
    const held = await t.hold(await t.eventType([ana], pooled));
    const other = await t.eventType([ben], pooled);
    await expect(t.bookAt(other)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await t.uc.release.execute({ workspaceId: WS, holdId: held.id });
    expect((await t.bookAt(other)).room).toEqual(ONE);
  });

  it('refuses a required pool with no room free; an optional one holds without a room and its booking takes one free then', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    for (const room of ['room-1@contoso.com', 'room-2@contoso.com'])
      t.freeBusy.add(room, { start: TEN, end: '2026-12-02T10:30:00Z', status: 'busy' });
    await expect(t.hold(await t.eventType([ana], pool(true)))).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    const optional = await t.hold(await t.eventType([ana], pool(false)));
    expect(optional.room).toBeNull();
    t.freeBusy.reset();
    expect((await t.bookHold(optional.id)).room).toEqual(ONE);
  });
});

describe('holds and the event type’s limits', () => {
  const ELEVEN = '2026-12-02T11:00:00Z';

  it('a live hold counts as a booking of the type: the day’s last one is taken for bookings and holds until it expires', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana], { limits: { perDay: 1 } });
    await t.hold(et, TEN, 60);
    await expect(t.bookAt(et, ELEVEN)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, ELEVEN)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    t.clock.advance(60_000);
    await expect(t.bookAt(et, ELEVEN)).resolves.toMatchObject({ hostId: ana });
  });

  it('the booking made from a hold is counted once: the day’s only booking can be made from its hold', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana], { limits: { perDay: 1, perWeek: 1 }, minimumGapMinutes: 60 });
    const held = await t.hold(et);
    await expect(t.bookHold(held.id)).resolves.toMatchObject({ hostId: ana, start: new Date(TEN) });
    await expect(t.hold(et, '2026-12-02T14:00:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('keeps the minimum gap from a live hold, for bookings and other holds', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana], { minimumGapMinutes: 30 });
    await t.hold(et);
    await expect(t.bookAt(et, '2026-12-02T10:30:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, '2026-12-02T09:30:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(t.hold(et, ELEVEN)).resolves.toMatchObject({ hostId: ana });
  });

  it('a pool gives the next hold to a host below the limit', async () => {
    const t = setUp();
    const [ana, ben] = [await t.host('ana'), await t.host('ben')];
    const et = await t.eventType([ana, ben], { limits: { perDay: 1 } });
    const first = await t.hold(et, TEN);
    const second = await t.hold(et, '2026-12-02T13:00:00Z');
    expect(new Set([first.hostId, second.hostId])).toEqual(new Set([ana, ben]));
    await expect(t.bookAt(et, '2026-12-02T15:00:00Z')).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('counts under the host’s lock: of a hold and a booking that both read the day free, only one gets it', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana], { limits: { perDay: 1 } });
    const results = await Promise.allSettled([
      t.hold(et, TEN),
      t.bookAt(et, ELEVEN),
      t.hold(et, '2026-12-02T13:00:00Z'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });
});

describe('holds of a booking page session', () => {
  it('keeps one live hold per holder: the next one releases the one before, a refused one releases nothing', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const first = await t.hold(et, TEN, undefined, 'session-1');
    const other = await t.hold(et, '2026-12-02T13:00:00Z', undefined, 'session-2');
    await expect(t.hold(et, '2026-12-02T13:00:00Z', undefined, 'session-1')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: first.id })).status).toBe('held');
    const moved = await t.hold(et, '2026-12-02T14:00:00Z', undefined, 'session-1');
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: first.id })).status).toBe('released');
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: moved.id })).status).toBe('held');
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: other.id })).status).toBe('held');
    await t.uc.releaseHeldBy.execute({ workspaceId: WS, holder: 'session-1' });
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: moved.id })).status).toBe('released');
    expect((await t.uc.get.execute({ workspaceId: WS, holdId: other.id })).status).toBe('held');
    // The released time is free again.
    await expect(t.bookAt(et, TEN)).resolves.toMatchObject({ hostId: ana });
  });

  it('books from a hold only on its own event type’s page', async () => {
    const t = setUp();
    const ana = await t.host('ana');
    const et = await t.eventType([ana]);
    const otherEt = await t.eventType([ana]);
    const held = await t.hold(et);
    const onPage = (eventTypeId: string) =>
      t.uc.bookHold.execute({ workspaceId: WS, holdId: held.id, guest, note: null, eventTypeId });
    await expect(onPage(otherEt)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(onPage(et)).resolves.toMatchObject({ hostId: ana });
  });
});
