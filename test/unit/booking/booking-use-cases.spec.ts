// Book, reschedule and cancel with the calendar sync, on in-memory fakes: two Paris hosts working
// 09:00–17:00 (08:00–16:00Z in December), Outlook in memory. Writes of one booking that race each other
// (the sync worker against a cancel or a reschedule) are played out step by step.
import { randomUUID } from 'node:crypto';
import { Booking } from '@domain/booking/booking.js';
import type { EventTypeDefinition } from '@domain/event-type/event-type.js';
import type { IdGenerator } from '@application/ports/id-generator.js';
import { InMemorySlotsReadModel } from '@adapters/in-memory/in-memory-slots.read-model.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { FollowRoomAnswer } from '@application/booking/follow-room-answer.js';
import { FollowOutlookEvent } from '@application/notification/follow-outlook-event.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import { FirstCalendarAttempt } from '@application/booking/first-calendar-attempt.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import type { BookingResource } from '@application/booking/booking-resource.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { SlotTaken } from '@application/ports/booking.repository.js';
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
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { aMember } from '../../builders/member.builder.js';
import { aConnection, aPolicy, anEventType } from '../../builders/availability.builder.js';
import { aBooking } from '../../builders/booking.builder.js';
import { recordMicrosoftFailure } from '../../builders/microsoft-failure.builder.js';
import { testBookingResources, testManageTokens } from '../../support/booking-links.js';
import { ROOM_ONE, ROOM_TWO, roomPool } from '../../builders/room.builder.js';

const ids: IdGenerator = { next: () => randomUUID() };
const WS = randomUUID();
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: null };

/** A booking store whose next save matching a condition stops until released, to play out a race. */
class PausableBookings extends InMemoryBookingRepository {
  private pause: { when: (b: Booking) => boolean; reached: () => void; go: Promise<void> } | null = null;

  pauseSave(when: (b: Booking) => boolean): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const hit = new Promise<void>((resolve) => (reached = resolve));
    const go = new Promise<void>((resolve) => (release = resolve));
    this.pause = { when, reached, go };
    return { reached: hit, release };
  }

  override async save(booking: Booking): Promise<void> {
    const pause = this.pause;
    if (pause?.when(booking)) {
      this.pause = null;
      pause.reached();
      await pause.go;
    }
    return super.save(booking);
  }
}

/** Lets every other ready task run (a racing use case gets as far as it can). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setUp(options: { firstAttemptWaitMs?: number } = {}) {
  const clock = new FixedClock('2026-12-01T07:00:00Z');
  const members = new InMemoryMemberRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const access = new InMemoryMemberAccessReadModel(connections, new InMemoryTenantConsentRepository());
  const policies = new InMemoryAvailabilityPolicyRepository();
  const eventTypes = new InMemoryEventTypeRepository();
  const bookings = new PausableBookings();
  const freeBusy = new FakeFreeBusyGateway();
  const hostCalendars = new HostCalendars(
    new InMemorySlotsReadModel({ eventTypes, members, connections, policies, bookings }),
    freeBusy,
    recordMicrosoftFailure({ connections, members, clock }),
  );
  const queue = new InMemoryCalendarSyncQueue();
  const writer = new FakeCalendarWriter();
  const outbox = new InMemoryDomainEventOutbox();
  const uow = new InMemoryUnitOfWork();
  const log = new RecordingOperationalLog();
  const tokens = testManageTokens();
  const resources = testBookingResources(tokens);
  const committer = new BookingCommitter(bookings, queue, outbox, resources, uow);
  const sync = new SyncBookingCalendar(
    bookings,
    queue,
    writer,
    committer,
    new InMemoryCalendarVersions(),
    clock,
    uow,
    log,
    recordMicrosoftFailure({ connections, members, outbox, clock, log }),
  );
  const firstAttempt = new FirstCalendarAttempt(
    sync,
    queue,
    bookings,
    committer,
    clock,
    uow,
    options.firstAttemptWaitMs ?? 300,
  );
  const uc = {
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
    cancel: new CancelBooking(bookings, committer, firstAttempt, clock, uow),
    reschedule: new RescheduleBooking(
      bookings,
      eventTypes,
      hostCalendars,
      committer,
      firstAttempt,
      ids,
      clock,
      uow,
      new RoomCalendars(freeBusy),
      access,
    ),
  };

  async function host(name: string, options: { teamsEnabled?: boolean } = {}) {
    const member = aMember({ workspaceId: WS, email: `${name}@contoso.com` });
    member.change({ status: 'active' }, clock.now());
    await members.add(member);
    await connections.save(
      aConnection({
        workspaceId: WS,
        memberId: member.id,
        mailbox: `${name}@contoso.com`,
        teamsEnabled: options.teamsEnabled,
      }),
    );
    return member.id;
  }

  async function eventType(hostIds: string[], overrides: Partial<EventTypeDefinition> = {}) {
    const e = anEventType({ workspaceId: WS, hostIds }, overrides);
    await eventTypes.add(e);
    return e.id;
  }

  const stored = async (id: string) => (await bookings.findById(WS, id))!;

  const bookAt = (eventTypeId: string, start: string) =>
    uc.book.execute({ workspaceId: WS, eventTypeId, start: new Date(start), guest, note: null });
  const rescheduleTo = (bookingId: string, start: string) =>
    uc.reschedule.execute({ workspaceId: WS, bookingId, start: new Date(start) });

  /** Books `start` (10:00Z by default) with the first calendar write failing: the answer says pending. */
  async function bookPending(eventTypeId: string, start = '2026-12-02T10:00:00Z') {
    writer.failNext(1);
    const booking = await uc.book.execute({
      workspaceId: WS,
      eventTypeId,
      start: new Date(start),
      guest,
      note: null,
    });
    expect(booking.calendar.syncStatus).toBe('pending');
    clock.advance(60_000);
    return booking;
  }

  /** The booking.* events recorded so far: type, and what the webhook says of host, link and sync. */
  const sent = () =>
    outbox.events.map((e) => {
      const data = e.data as BookingResource;
      return {
        type: e.type,
        hostId: data.hostId,
        joinUrl: data.location.joinUrl,
        syncStatus: data.calendar.syncStatus,
      };
    });

  return {
    clock,
    uow,
    bookings,
    eventTypes,
    policies,
    freeBusy,
    queue,
    writer,
    outbox,
    committer,
    sync,
    uc,
    host,
    eventType,
    stored,
    bookAt,
    rescheduleTo,
    bookPending,
    sent,
  };
}

describe('booking writes that race the calendar sync', () => {
  it('a cancel committed while the sync saves its result stays cancelled, and the event is cancelled', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')]);
    const booking = await s.bookPending(eventTypeId);
    // The worker's retry has written the event and is saving that, when a cancel comes in.
    const paused = s.bookings.pauseSave((b) => b.calendar.eventId !== null);
    const worker = s.sync.runOnce();
    await paused.reached;
    const cancelled = s.uc.cancel.execute({ workspaceId: WS, bookingId: booking.id, reason: 'Ill' });
    await settle();
    paused.release();
    expect(await worker).toBe('synced');
    await cancelled;
    while ((await s.sync.runOnce()) !== 'nothing');

    const after = await s.stored(booking.id);
    expect(after.status).toBe('cancelled');
    expect(after.calendar).toMatchObject({ eventCancelled: true, syncStatus: 'synced' });
    expect([...s.writer.events.values()]).toEqual([expect.objectContaining({ isCancelled: true })]);
  });

  it('a reschedule saved while the sync records the new event moves that event, never a second one', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')]);
    const booking = await s.bookPending(eventTypeId);
    // The worker writes the event while a reschedule is between its read and its save.
    const paused = s.bookings.pauseSave((b) => b.start.toISOString() === '2026-12-02T11:00:00.000Z');
    const rescheduled = s.uc.reschedule.execute({
      workspaceId: WS,
      bookingId: booking.id,
      start: new Date('2026-12-02T11:00:00Z'),
    });
    await paused.reached;
    const worker = s.sync.runOnce(booking.id);
    await settle();
    paused.release();
    await Promise.all([worker, rescheduled]);
    while ((await s.sync.runOnce()) !== 'nothing');

    const after = await s.stored(booking.id);
    expect(s.writer.events.size).toBe(1);
    expect(after.calendar).toMatchObject({ syncStatus: 'synced', eventId: expect.any(String) });
    expect(s.writer.events.get(after.calendar.eventId!)).toMatchObject({
      start: new Date('2026-12-02T11:00:00Z'),
      isCancelled: false,
    });
  });
});

describe('what a reschedule and a cancel answer and announce', () => {
  const at = (iso: string) => new Date(iso);

  it('a cancel is pending until Outlook is told, in its answer and in booking.cancelled; booking.updated follows', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')]);
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    expect(booking.calendar.syncStatus).toBe('synced');
    s.writer.failNext(1);
    const cancelled = await s.uc.cancel.execute({ workspaceId: WS, bookingId: booking.id, reason: null });
    expect(cancelled.calendar.syncStatus).toBe('pending');
    s.clock.advance(60_000);
    expect(await s.sync.runOnce()).toBe('synced');
    expect(s.sent().map((e) => [e.type, e.syncStatus])).toEqual([
      ['booking.created', 'synced'],
      ['booking.cancelled', 'pending'],
      ['booking.updated', 'synced'],
    ]);
    expect([...s.writer.events.values()][0]).toMatchObject({ isCancelled: true });
  });

  it('a same-host reschedule: booking.rescheduled says pending, booking.updated follows once the event moved', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')]);
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z');
    expect(moved.calendar).toMatchObject({ syncStatus: 'synced', eventId: booking.calendar.eventId });
    expect(s.sent()).toEqual([
      {
        type: 'booking.created',
        hostId: booking.hostId,
        joinUrl: booking.location.joinUrl,
        syncStatus: 'synced',
      },
      {
        type: 'booking.rescheduled',
        hostId: booking.hostId,
        joinUrl: booking.location.joinUrl,
        syncStatus: 'pending',
      },
      {
        type: 'booking.updated',
        hostId: booking.hostId,
        joinUrl: booking.location.joinUrl,
        syncStatus: 'synced',
      },
    ]);
  });

  it('a round-robin reschedule to another host: their buffers, their event and link, sent in booking.updated', async () => {
    const s = setUp();
    const names = new Map([
      [await s.host('ada'), 'ada'],
      [await s.host('bob'), 'bob'],
    ]);
    const eventTypeId = await s.eventType([...names.keys()]);
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    const first = booking.hostId;
    const other = [...names.keys()].find((id) => id !== first)!;
    // The first host is busy at the new time; the other one books with a 15-minute buffer after.
    s.freeBusy.add(`${names.get(first)}@contoso.com`, {
      start: '2026-12-02T11:00:00Z',
      end: '2026-12-02T11:30:00Z',
      status: 'busy',
    });
    await s.policies.save(aPolicy({ workspaceId: WS, memberId: other }, { bufferAfterMinutes: 15 }));

    const moved = await s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z');
    const newEvent = s.writer.events.get(moved.calendar.eventId!)!;
    expect(newEvent).toMatchObject({ hostId: other, start: at('2026-12-02T11:00:00Z') });
    expect(moved).toMatchObject({ hostId: other, location: { joinUrl: newEvent.joinUrl } });
    expect(moved.location.joinUrl).not.toBe(booking.location.joinUrl);
    expect(s.writer.events.get(booking.calendar.eventId!)).toMatchObject({ isCancelled: true });
    expect(moved.blocked).toEqual({ start: at('2026-12-02T11:00:00Z'), end: at('2026-12-02T11:45:00Z') });
    expect(s.sent()).toEqual([
      { type: 'booking.created', hostId: first, joinUrl: booking.location.joinUrl, syncStatus: 'synced' },
      { type: 'booking.rescheduled', hostId: other, joinUrl: null, syncStatus: 'pending' },
      { type: 'booking.updated', hostId: other, joinUrl: newEvent.joinUrl, syncStatus: 'synced' },
    ]);
  });
});

describe('the API’s first calendar attempt', () => {
  it('waits for another instance’s worker only while it writes: that worker failing ends the wait at once', async () => {
    const s = setUp();
    const hostId = await s.host('ada');
    const booking = aBooking({ workspaceId: WS, eventTypeId: await s.eventType([hostId]), hostId });
    // Committed, and claimed by another instance's worker before this instance's attempt.
    await s.bookings.add(booking);
    await s.queue.enqueue(WS, booking.id, s.clock.now());
    const other = await s.queue.claim(s.clock.now(), 60_000, booking.id);
    const firstAttempt = new FirstCalendarAttempt(
      s.sync,
      s.queue,
      s.bookings,
      s.committer,
      s.clock,
      s.uow,
      5_000,
    );
    const started = performance.now();
    const answer = firstAttempt.run(booking);
    await settle();
    await s.queue.retryAt(other!, new Date(s.clock.now().getTime() + 5_000), 'Graph 503');
    expect((await answer).calendar.syncStatus).toBe('pending');
    // Well before the 5 s the attempt would otherwise wait: a loaded machine is slow by far less.
    expect(performance.now() - started).toBeLessThan(2_500);
  });
});

describe('a booking request with an Idempotency-Key', () => {
  const request = (eventTypeId: string, idempotencyKey: string | null, start = '2026-12-02T10:00:00Z') => ({
    workspaceId: WS,
    eventTypeId,
    start: new Date(start),
    guest,
    note: null,
    idempotencyKey,
  });

  it('whose first attempt died after its commit is answered with that booking at once, never SLOT_UNAVAILABLE', async () => {
    const s = setUp({ firstAttemptWaitMs: 5_000 });
    const hostId = await s.host('ada');
    const eventTypeId = await s.eventType([hostId]);
    // The first request committed its booking with the key, its worker took the calendar job, and the
    // process died there: no answer, no event, no booking.created.
    const first = aBooking({ workspaceId: WS, eventTypeId, hostId, start: '2026-12-02T10:00:00Z' });
    await s.bookings.add(first, 'digest-1');
    await s.queue.enqueue(WS, first.id, s.clock.now());
    await s.queue.claim(s.clock.now(), 60_000, first.id);
    s.clock.advance(15_000);

    const started = performance.now();
    const retry = await s.uc.book.execute(request(eventTypeId, 'digest-1'));
    // Not held up by the dead process's calendar lease (5 s of waiting would not end it).
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(retry.id).toBe(first.id);
    expect(retry.calendar.syncStatus).toBe('pending');
    expect(s.bookings.rows.size).toBe(1);
    expect(s.sent()).toEqual([expect.objectContaining({ type: 'booking.created', syncStatus: 'pending' })]);
    // Another request for that time is refused as before.
    await expect(s.uc.book.execute(request(eventTypeId, 'digest-2'))).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    await expect(s.uc.book.execute(request(eventTypeId, null))).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    // Once the dead worker's lease runs out the event is written, once; the retry's answer stays the booking.
    s.clock.advance(60_000);
    while ((await s.sync.runOnce()) !== 'nothing');
    expect(s.writer.events.size).toBe(1);
    const again = await s.uc.book.execute(request(eventTypeId, 'digest-1'));
    expect(again).toMatchObject({ id: first.id, calendar: { syncStatus: 'synced' } });
    expect(s.sent().map((e) => e.type)).toEqual(['booking.created', 'booking.updated']);
  });

  it('whose first attempt committed is answered with that booking even when the event type is gone since', async () => {
    const s = setUp();
    const hostId = await s.host('ada');
    const eventTypeId = await s.eventType([hostId]);
    const first = await s.uc.book.execute(request(eventTypeId, 'digest-1'));
    await s.eventTypes.delete(WS, eventTypeId);
    expect((await s.uc.book.execute(request(eventTypeId, 'digest-1'))).id).toBe(first.id);
    await expect(s.uc.book.execute(request(eventTypeId, 'digest-2'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('racing its own twin (an owner wrongly thought dead) makes one booking, and both get it', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada'), await s.host('grace')]);
    // Round robin: without the key, the loser would fall through to the other free host.
    const [a, b] = await Promise.all([
      s.uc.book.execute(request(eventTypeId, 'digest-1')),
      s.uc.book.execute(request(eventTypeId, 'digest-1')),
    ]);
    expect(b.id).toBe(a.id);
    expect(s.bookings.rows.size).toBe(1);
    expect(s.writer.events.size).toBe(1);
    // The same race without a key books both hosts: the key is what makes it one.
    const [c, d] = await Promise.all([
      s.uc.book.execute(request(eventTypeId, null, '2026-12-02T11:00:00Z')),
      s.uc.book.execute(request(eventTypeId, null, '2026-12-02T11:00:00Z')),
    ]);
    expect(c.id).not.toBe(d.id);
    expect(s.bookings.rows.size).toBe(3);
  });
});

describe('a reschedule over its own time', () => {
  const outlook = (s: ReturnType<typeof setUp>, start: string, end: string) =>
    s.freeBusy.add('ada@contoso.com', { start, end, status: 'busy' });

  it('is not blocked by its own Outlook event, but is by another item at the very same times', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], {
      durationMinutes: 60,
      slotIntervalMinutes: 30,
    });
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    expect(booking.calendar.syncStatus).toBe('synced');
    // Outlook shows the booking's event.
    outlook(s, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z');
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T10:30:00Z');
    expect(moved.start).toEqual(new Date('2026-12-02T10:30:00Z'));

    // Now the event is at 10:30, and the host also accepted another meeting at exactly those times.
    s.freeBusy.reset();
    outlook(s, '2026-12-02T10:30:00Z', '2026-12-02T11:30:00Z');
    outlook(s, '2026-12-02T10:30:00Z', '2026-12-02T11:30:00Z');
    await expect(s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
  });

  it('is blocked by an item at its times when its event is not known to exist', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], {
      durationMinutes: 60,
      slotIntervalMinutes: 30,
    });
    const booking = await s.bookPending(eventTypeId);
    outlook(s, '2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z');
    await expect(s.rescheduleTo(booking.id, '2026-12-02T10:30:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
  });
});

describe('a booking of a time kailenty has already booked', () => {
  it('is refused from the database read alone, without reading Microsoft 365', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')]);
    await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    s.freeBusy.reset();
    await expect(s.bookAt(eventTypeId, '2026-12-02T10:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    expect(s.freeBusy.requests).toHaveLength(0);
    // A free time next to it is still checked against Outlook.
    await s.bookAt(eventTypeId, '2026-12-02T11:00:00Z');
    expect(s.freeBusy.requests).toHaveLength(1);
  });

  it('in a pool, goes to a host it has not booked then, whose calendar is read', async () => {
    const s = setUp();
    const ada = await s.host('ada');
    const bob = await s.host('bob');
    const eventTypeId = await s.eventType([ada, bob], { assignment: 'round_robin' });
    const first = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    s.freeBusy.reset();
    const second = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    expect(second.hostId).toBe(first.hostId === ada ? bob : ada);
    expect(s.freeBusy.requests.length).toBeGreaterThan(0);
    s.freeBusy.reset();
    await expect(s.bookAt(eventTypeId, '2026-12-02T10:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    expect(s.freeBusy.requests).toHaveLength(0);
  });
});

describe('a booking with answers to the event type’s questions', () => {
  const questions = [
    { id: 'company', kind: 'text', label: 'Company', required: true },
    {
      id: 'topics',
      kind: 'multiple_choice',
      label: 'Topics',
      required: false,
      options: ['Pricing', 'Roll-out'],
    },
  ];
  const bookWith = (s: ReturnType<typeof setUp>, eventTypeId: string, answers: unknown) =>
    s.uc.book.execute({
      workspaceId: WS,
      eventTypeId,
      start: new Date('2026-12-02T10:00:00Z'),
      guest,
      note: null,
      answers,
    });

  it('keeps them, tells them in booking.created and the Outlook event (escaped), and keeps them when moved', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], { questions });
    const booking = await bookWith(s, eventTypeId, { company: '<b>Contoso</b> & co', topics: ['Roll-out'] });
    const answers = [
      { questionId: 'company', label: 'Company', value: '<b>Contoso</b> & co' },
      { questionId: 'topics', label: 'Topics', value: ['Roll-out'] },
    ];
    expect((s.outbox.events[0]!.data as BookingResource).answers).toEqual(answers);
    const [event] = [...s.writer.events.values()];
    expect(event!.draft.bodyHtml).toContain(
      '<p><strong>Company</strong><br>&lt;b&gt;Contoso&lt;/b&gt; &amp; co</p>',
    );
    expect(event!.draft.bodyHtml).toContain('<p><strong>Topics</strong><br>Roll-out</p>');
    expect(event!.draft.bodyHtml).not.toContain('<b>Contoso');

    await s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z');
    expect((await s.stored(booking.id)).answers).toEqual([
      { questionId: 'company', label: 'Company', kind: 'text', value: '<b>Contoso</b> & co' },
      { questionId: 'topics', label: 'Topics', kind: 'multiple_choice', value: ['Roll-out'] },
    ]);
    const rescheduled = s.outbox.events.find((e) => e.type === 'booking.rescheduled')!;
    expect((rescheduled.data as BookingResource).answers).toEqual(answers);
  });

  it('refuses answers that do not fit before reading Microsoft 365, and writes nothing', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], { questions });
    s.freeBusy.reset();
    await expect(bookWith(s, eventTypeId, { topics: ['Travel'], budget: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'answers.budget', code: 'ANSWER_UNKNOWN_QUESTION' },
        { field: 'answers.company', code: 'ANSWER_REQUIRED', message: '"Company" (company) is required' },
        { field: 'answers.topics', code: 'ANSWER_NOT_AN_OPTION' },
      ],
    });
    expect(s.freeBusy.requests).toHaveLength(0);
    expect((await s.bookings.list(WS, {}, { limit: 10 })).data).toEqual([]);
    expect(s.outbox.events).toEqual([]);
    expect(s.writer.events.size).toBe(0);
  });
});

describe('booking limits', () => {
  const unavailable = { code: 'SLOT_UNAVAILABLE' };

  it('refuses a booking past perDay as an unavailable start, without reading Outlook; the next day is free', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], { limits: { perDay: 1 } });
    await s.bookAt(eventTypeId, '2026-12-02T09:00:00Z');
    s.freeBusy.reset();
    await expect(s.bookAt(eventTypeId, '2026-12-02T14:00:00Z')).rejects.toMatchObject(unavailable);
    expect(s.freeBusy.requests).toHaveLength(0);
    await s.bookAt(eventTypeId, '2026-12-03T14:00:00Z');
  });

  it('counts perWeek from Monday in the host’s zone, and only this event type’s bookings', async () => {
    const s = setUp();
    const ada = await s.host('ada');
    const limited = await s.eventType([ada], { limits: { perWeek: 2 } });
    const other = await s.eventType([ada]);
    // Paris: Monday 7 to Sunday 13 December 2026.
    await s.bookAt(other, '2026-12-07T10:00:00Z');
    await s.bookAt(limited, '2026-12-08T10:00:00Z');
    await s.bookAt(limited, '2026-12-09T10:00:00Z');
    await expect(s.bookAt(limited, '2026-12-11T10:00:00Z')).rejects.toMatchObject(unavailable);
    await s.bookAt(limited, '2026-12-14T10:00:00Z');
  });

  it('keeps minimumGapMinutes between the type’s bookings, which may touch it', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], { minimumGapMinutes: 60 });
    await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z'); // until 10:30
    await expect(s.bookAt(eventTypeId, '2026-12-02T11:00:00Z')).rejects.toMatchObject(unavailable);
    await expect(s.bookAt(eventTypeId, '2026-12-02T09:00:00Z')).rejects.toMatchObject(unavailable);
    await s.bookAt(eventTypeId, '2026-12-02T11:30:00Z');
  });

  it('in a pool, skips a host at its limit for the next host; refuses when every host is at it', async () => {
    const s = setUp();
    const ada = await s.host('ada');
    const bob = await s.host('bob');
    const eventTypeId = await s.eventType([ada, bob], { assignment: 'round_robin', limits: { perDay: 1 } });
    const first = await s.bookAt(eventTypeId, '2026-12-02T09:00:00Z');
    const second = await s.bookAt(eventTypeId, '2026-12-02T13:00:00Z');
    expect(new Set([first.hostId, second.hostId])).toEqual(new Set([ada, bob]));
    await expect(s.bookAt(eventTypeId, '2026-12-02T15:00:00Z')).rejects.toMatchObject(unavailable);
  });

  it('a reschedule on the same day does not count the booking against itself', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], {
      limits: { perDay: 1 },
      minimumGapMinutes: 120,
    });
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z');
    expect(moved.start.toISOString()).toBe('2026-12-02T11:00:00.000Z');
  });

  it('the commit re-checks the limits under the host’s lock: a booking that the check let through is refused there', async () => {
    const s = setUp();
    const ada = await s.host('ada');
    const eventTypeId = await s.eventType([ada], { limits: { perDay: 1 } });
    const booking = (start: string) => aBooking({ workspaceId: WS, eventTypeId, hostId: ada, start });
    const limits = { limits: { perDay: 1 }, timeZone: 'Europe/Paris' };
    await s.committer.commit(booking('2026-12-02T09:00:00Z'), { insert: { idempotencyKey: null }, limits });
    await expect(
      s.committer.commit(booking('2026-12-02T15:00:00Z'), { insert: { idempotencyKey: null }, limits }),
    ).rejects.toBeInstanceOf(SlotTaken);
    // Local days: 23:30Z on 2 December is 00:30 on the 3rd in Paris.
    await s.committer.commit(booking('2026-12-02T23:30:00Z'), { insert: { idempotencyKey: null }, limits });
  });

  it('racing bookings of one host for the last booking of a day: one gets it, the other is refused', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], { limits: { perDay: 1 } });
    const results = await Promise.allSettled([
      s.bookAt(eventTypeId, '2026-12-02T09:00:00Z'),
      s.bookAt(eventTypeId, '2026-12-02T14:00:00Z'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: unavailable });
    expect([...s.bookings.rows.values()].filter((r) => r.status === 'confirmed')).toHaveLength(1);
  });
});

describe('a collective event type', () => {
  const at = (iso: string) => new Date(iso);

  async function team(s: ReturnType<typeof setUp>) {
    const ada = await s.host('ada');
    const bob = await s.host('bob');
    // Bob keeps 15 minutes after his meetings.
    await s.policies.save(aPolicy({ workspaceId: WS, memberId: bob }, { bufferAfterMinutes: 15 }));
    const eventTypeId = await s.eventType([ada, bob], { assignment: 'collective' });
    return { ada, bob, eventTypeId };
  }

  it('books every host at once: one event organised by the first, the others and the guest invited', async () => {
    const s = setUp();
    const { ada, bob, eventTypeId } = await team(s);
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    expect(booking.hostIds).toEqual([ada, bob]);
    expect(booking.hostBlocks).toEqual([
      { hostId: ada, start: at('2026-12-02T10:00:00Z'), end: at('2026-12-02T10:30:00Z') },
      { hostId: bob, start: at('2026-12-02T10:00:00Z'), end: at('2026-12-02T10:45:00Z') },
    ]);
    expect(s.writer.events.size).toBe(1);
    const event = s.writer.events.get(booking.calendar.eventId!)!;
    expect(event.hostId).toBe(ada);
    expect(event.draft.coHosts).toEqual([{ name: expect.any(String), email: 'bob@contoso.com' }]);
    expect(event.draft.attendee.email).toBe('jordan@example.com');
    // Bob's time is taken with his buffer: a start in it is no longer offered, for the team or for him.
    await expect(s.bookAt(eventTypeId, '2026-12-02T10:30:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    const bobAlone = await s.eventType([bob]);
    await expect(s.bookAt(bobAlone, '2026-12-02T10:30:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    await expect(s.bookAt(bobAlone, '2026-12-02T11:00:00Z')).resolves.toMatchObject({ hostId: bob });
  });

  it('is not offered when one host is busy; moves only where all are free, and its one event follows', async () => {
    const s = setUp();
    const { ada, eventTypeId } = await team(s);
    s.freeBusy.add('bob@contoso.com', {
      start: '2026-12-02T10:00:00Z',
      end: '2026-12-02T10:30:00Z',
      status: 'busy',
    });
    await expect(s.bookAt(eventTypeId, '2026-12-02T10:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    const booking = await s.bookAt(eventTypeId, '2026-12-02T09:00:00Z');
    expect(booking.hostId).toBe(ada);
    await expect(s.rescheduleTo(booking.id, '2026-12-02T10:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T11:00:00Z');
    expect(moved.hostIds).toEqual(booking.hostIds);
    expect(moved.calendar.eventId).toBe(booking.calendar.eventId);
    expect(s.writer.events.get(booking.calendar.eventId!)).toMatchObject({
      start: at('2026-12-02T11:00:00Z'),
    });
    expect(s.writer.events.size).toBe(1);
    // Its old time is free again for the whole team.
    await expect(s.bookAt(eventTypeId, '2026-12-02T09:00:00Z')).resolves.toBeDefined();
  });

  it('a cancel cancels the one event and frees every host', async () => {
    const s = setUp();
    const { bob, eventTypeId } = await team(s);
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    await s.uc.cancel.execute({ workspaceId: WS, bookingId: booking.id, reason: null });
    expect(s.writer.events.get(booking.calendar.eventId!)).toMatchObject({ isCancelled: true });
    const bobAlone = await s.eventType([bob]);
    await expect(s.bookAt(bobAlone, '2026-12-02T10:30:00Z')).resolves.toMatchObject({ hostId: bob });
  });
});

describe('booking a room', () => {
  const pool = roomPool;
  const at = '2026-12-02T10:00:00Z';

  it('takes the first free room of the pool, invites it as a resource and names it the location', async () => {
    const s = setUp();
    const eventTypeId = await s.eventType([await s.host('ada')], pool(true));
    s.freeBusy.add('room-1@contoso.com', {
      start: '2026-12-02T09:30:00Z',
      end: '2026-12-02T10:15:00Z',
      status: 'busy',
    });
    const booking = await s.bookAt(eventTypeId, at);
    expect(booking.room).toEqual({ email: 'room-2@contoso.com', name: 'Two' });
    const [event] = [...s.writer.events.values()];
    expect(event!.draft.room).toEqual({ email: 'room-2@contoso.com', name: 'Two' });
    expect((await s.stored(booking.id)).view().calendar.writtenRoom).toBe('room-2@contoso.com');
    // The room read was fresh, with the host's token, for the rooms only.
    expect(s.freeBusy.requests.find((r) => r.rooms)).toMatchObject({
      fresh: true,
      mailbox: 'room-1@contoso.com',
    });
  });

  it('moves on to the next room when a racing booking took the first; refuses when none is left', async () => {
    const s = setUp();
    const [ada, bea, cy] = [await s.host('ada'), await s.host('bea'), await s.host('cy')];
    const first = await s.bookAt(await s.eventType([ada], pool(true)), at);
    // Outlook does not show it yet (the room has not answered): only the database knows the room is taken.
    const second = await s.bookAt(await s.eventType([bea], pool(true)), at);
    expect([first.room?.email, second.room?.email]).toEqual(['room-1@contoso.com', 'room-2@contoso.com']);
    const third = s.bookAt(await s.eventType([cy], pool(true)), at);
    await expect(third).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('refuses a start of a required pool with no free room; books an optional one without a room', async () => {
    const s = setUp();
    const ada = await s.host('ada');
    for (const room of ['room-1@contoso.com', 'room-2@contoso.com'])
      s.freeBusy.add(room, { start: '2026-12-02T00:00:00Z', end: '2026-12-03T00:00:00Z', status: 'busy' });
    await expect(s.bookAt(await s.eventType([ada], pool(true)), at)).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    const booking = await s.bookAt(await s.eventType([ada], pool(false)), at);
    expect(booking.room).toBeNull();
    expect([...s.writer.events.values()][0]!.draft.room).toBeNull();
  });
});

describe('rescheduling a booking with a room', () => {
  const ONE = ROOM_ONE;
  const TWO = ROOM_TWO;
  const pool = roomPool;
  const TEN = '2026-12-02T10:00:00Z';

  /** A booking of `pool` at 10:00 with room one, synced: its own meeting shows in room one's calendar. */
  async function bookedWithRoom(required = true) {
    const s = setUp();
    const ada = await s.host('ada');
    // Starts every 15 minutes: a move may overlap the booking's own time.
    const eventTypeId = await s.eventType([ada], { ...pool(required), slotIntervalMinutes: 15 });
    const booking = await s.bookAt(eventTypeId, TEN);
    expect(booking.room).toEqual(ONE);
    s.freeBusy.add('room-1@contoso.com', { start: TEN, end: '2026-12-02T10:30:00Z', status: 'busy' });
    const event = () => s.writer.events.get(booking.calendar.eventId!)!;
    const synced = async () => {
      while ((await s.sync.runOnce()) !== 'nothing');
      return s.stored(booking.id);
    };
    return { s, ada, booking, event, synced };
  }

  it('keeps its room when it is free at the new time, its own meeting in the room’s calendar aside', async () => {
    const { s, booking, event, synced } = await bookedWithRoom();
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T10:15:00Z');
    expect(moved.room).toEqual(ONE);
    const stored = await synced();
    expect(event()).toMatchObject({ start: new Date('2026-12-02T10:15:00Z'), draft: { room: ONE } });
    expect(stored.view().calendar).toMatchObject({ writtenRoom: 'room-1@contoso.com', syncStatus: 'synced' });
  });

  it('takes the first free room when its own is taken there, and the Outlook event invites it', async () => {
    const { s, booking, event, synced } = await bookedWithRoom();
    s.freeBusy.add('room-1@contoso.com', {
      start: '2026-12-02T14:00:00Z',
      end: '2026-12-02T15:00:00Z',
      status: 'busy',
    });
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T14:00:00Z');
    expect(moved.room).toEqual(TWO);
    const stored = await synced();
    expect(event()).toMatchObject({ start: new Date('2026-12-02T14:00:00Z'), draft: { room: TWO } });
    expect(stored.view().calendar).toMatchObject({ writtenRoom: 'room-2@contoso.com', syncStatus: 'synced' });
  });

  it('passes to the next room when another kailenty booking has its room at the new time', async () => {
    const { s, booking } = await bookedWithRoom();
    const bea = await s.host('bea');
    // Only the database knows: room one's calendar has not shown the other booking yet.
    const other = await s.bookAt(await s.eventType([bea], pool(true)), '2026-12-02T14:00:00Z');
    expect(other.room).toEqual(ONE);
    expect((await s.rescheduleTo(booking.id, '2026-12-02T14:00:00Z')).room).toEqual(TWO);
  });

  it('refuses a required pool with no room free at the new time (the booking stays as it was)', async () => {
    const { s, booking } = await bookedWithRoom();
    for (const room of ['room-1@contoso.com', 'room-2@contoso.com'])
      s.freeBusy.add(room, { start: '2026-12-02T14:00:00Z', end: '2026-12-02T15:00:00Z', status: 'busy' });
    await expect(s.rescheduleTo(booking.id, '2026-12-02T14:00:00Z')).rejects.toMatchObject({
      code: 'SLOT_UNAVAILABLE',
    });
    expect(await s.stored(booking.id)).toMatchObject({ start: new Date(TEN), room: ONE });
  });

  it('moves an optional pool’s booking without a room when none is free, and takes the room off the event', async () => {
    const { s, booking, event, synced } = await bookedWithRoom(false);
    for (const room of ['room-1@contoso.com', 'room-2@contoso.com'])
      s.freeBusy.add(room, { start: '2026-12-02T14:00:00Z', end: '2026-12-02T15:00:00Z', status: 'busy' });
    const moved = await s.rescheduleTo(booking.id, '2026-12-02T14:00:00Z');
    expect(moved.room).toBeNull();
    const stored = await synced();
    expect(event()).toMatchObject({ start: new Date('2026-12-02T14:00:00Z'), draft: { room: null } });
    expect(stored.view().calendar).toMatchObject({ writtenRoom: null, syncStatus: 'synced' });
    expect(stored.calendarWork).toBe('none');
  });
});

describe('a room that declines', () => {
  const rooms = {
    rooms: {
      rooms: [
        { email: 'room-1@contoso.com', name: 'One' },
        { email: 'room-2@contoso.com', name: 'Two' },
        { email: 'room-3@contoso.com', name: 'Three' },
      ],
      required: true,
    },
  };

  async function booked() {
    const s = setUp();
    const follow = new FollowRoomAnswer(
      s.bookings,
      s.eventTypes,
      new RoomCalendars(s.freeBusy),
      s.committer,
      s.clock,
      s.uow,
    );
    const booking = await s.bookAt(await s.eventType([await s.host('ada')], rooms), '2026-12-02T10:00:00Z');
    const eventId = booking.calendar.eventId!;
    /** The room declines in Outlook; kailenty follows what Outlook now shows. */
    const decline = async () => {
      s.writer.declineRoom(eventId);
      const outlook = (await s.writer.readEvent(WS, booking.hostId, eventId))!;
      return follow.execute(await s.stored(booking.id), outlook);
    };
    const types = () => s.outbox.events.map((e) => e.type);
    return { s, booking, eventId, decline, follow, types };
  }

  it('gives the meeting the next free room: booking.updated, and the sync invites it in place of the first', async () => {
    const { s, booking, eventId, decline, types } = await booked();
    s.freeBusy.add('room-2@contoso.com', {
      start: '2026-12-02T10:00:00Z',
      end: '2026-12-02T10:30:00Z',
      status: 'busy',
    });
    const before = types().length;
    expect(await decline()).toBe('room_moved');
    const moved = await s.stored(booking.id);
    expect(moved.room).toEqual({ email: 'room-3@contoso.com', name: 'Three' });
    expect(moved.declinedRooms).toEqual(['room-1@contoso.com']);
    expect(moved.calendarWork).toBe('room');
    expect(types().slice(before)).toEqual(['booking.updated']);
    while ((await s.sync.runOnce()) !== 'nothing');
    expect(s.writer.events.get(eventId)!.draft.room).toEqual({ email: 'room-3@contoso.com', name: 'Three' });
    expect((await s.stored(booking.id)).view().calendar).toMatchObject({
      writtenRoom: 'room-3@contoso.com',
      syncStatus: 'synced',
    });
  });

  it('with no free room left keeps the booking, without a room, with ROOM_UNAVAILABLE and booking.updated', async () => {
    const { s, booking, decline, types } = await booked();
    expect(await decline()).toBe('room_moved');
    while ((await s.sync.runOnce()) !== 'nothing');
    s.freeBusy.add('room-3@contoso.com', {
      start: '2026-12-02T09:00:00Z',
      end: '2026-12-02T11:00:00Z',
      status: 'busy',
    });
    const before = types().length;
    // Room two declines too; room one declined before and is not asked again, room three is taken.
    expect(await decline()).toBe('room_unavailable');
    const kept = await s.stored(booking.id);
    expect(kept.status).toBe('confirmed');
    expect(kept.room).toBeNull();
    expect(kept.view().warnings).toEqual(['ROOM_UNAVAILABLE']);
    expect(types().slice(before)).toEqual(['booking.updated']);
    const data = s.outbox.events.at(-1)!.data as BookingResource;
    expect(data.warnings).toEqual([{ code: 'ROOM_UNAVAILABLE' }]);
  });

  it('changes nothing for an answer already followed, or an accepting room', async () => {
    const { s, booking, eventId, follow, decline } = await booked();
    const outlook = (await s.writer.readEvent(WS, booking.hostId, eventId))!;
    expect(await follow.execute(await s.stored(booking.id), outlook)).toBe('none');
    expect(await decline()).toBe('room_moved');
    // The same decline told again, before the sync invited the next room.
    const again = (await s.writer.readEvent(WS, booking.hostId, eventId))!;
    expect(await follow.execute(await s.stored(booking.id), again)).toBe('none');
  });
});

describe('a room that declines a collective booking', () => {
  it('invites the next room with the co-hosts and the guest still invited', async () => {
    const s = setUp();
    const [ada, bob] = [await s.host('ada'), await s.host('bob')];
    const eventTypeId = await s.eventType([ada, bob], {
      assignment: 'collective',
      rooms: {
        rooms: [{ email: 'room-1@contoso.com' }, { email: 'room-2@contoso.com', name: 'Two' }],
        required: true,
      },
    });
    const booking = await s.bookAt(eventTypeId, '2026-12-02T10:00:00Z');
    const eventId = booking.calendar.eventId!;
    s.writer.declineRoom(eventId);
    const follow = new FollowRoomAnswer(
      s.bookings,
      s.eventTypes,
      new RoomCalendars(s.freeBusy),
      s.committer,
      s.clock,
      s.uow,
    );
    const outlook = (await s.writer.readEvent(WS, ada, eventId))!;
    expect(await follow.execute(await s.stored(booking.id), outlook)).toBe('room_moved');
    while ((await s.sync.runOnce()) !== 'nothing');
    const draft = s.writer.events.get(eventId)!.draft;
    expect(draft.room).toEqual({ email: 'room-2@contoso.com', name: 'Two' });
    expect(draft.coHosts).toEqual([{ name: expect.any(String), email: 'bob@contoso.com' }]);
    expect(draft.attendee.email).toBe('jordan@example.com');
  });
});

describe('a co-host who declines a collective booking in Outlook', () => {
  async function booked() {
    const s = setUp();
    const [ada, bob, cy] = [await s.host('ada'), await s.host('bob'), await s.host('cy')];
    const follow = new FollowOutlookEvent(
      s.bookings,
      s.writer,
      s.committer,
      s.clock,
      s.uow,
      new FollowRoomAnswer(
        s.bookings,
        s.eventTypes,
        new RoomCalendars(s.freeBusy),
        s.committer,
        s.clock,
        s.uow,
      ),
    );
    const booking = await s.bookAt(await s.eventType([ada, bob, cy], { assignment: 'collective' }), at);
    const eventId = booking.calendar.eventId!;
    /** The attendee answers in Outlook; kailenty follows the organiser's event as a change notification makes it. */
    const answer = (email: string, response: 'accepted' | 'declined') => {
      s.writer.answerAsAttendee(eventId, email, response);
      return follow.execute(WS, ada, eventId);
    };
    const types = () => s.outbox.events.map((e) => e.type);
    return { s, booking, ada, bob, cy, answer, follow, eventId, types };
  }
  const at = '2026-12-02T10:00:00Z';

  it('warns HOST_DECLINED naming the host, once, with booking.updated; the booking stays and keeps blocking', async () => {
    const { s, booking, bob, answer, follow, eventId, types, ada } = await booked();
    const before = types().length;
    expect(await answer('bob@contoso.com', 'declined')).toBe('host_answers');
    const kept = await s.stored(booking.id);
    expect(kept.status).toBe('confirmed');
    expect(kept.hostIds).toContain(bob);
    expect(kept.view().warnings).toEqual(['HOST_DECLINED']);
    expect(types().slice(before)).toEqual(['booking.updated']);
    const data = s.outbox.events.at(-1)!.data as BookingResource;
    expect(data.warnings).toEqual([{ code: 'HOST_DECLINED', hostId: bob }]);
    // Later notifications of the same event (another change, a resync) say nothing new.
    expect(await follow.execute(WS, ada, eventId)).toBe('none');
    expect(types().slice(before)).toEqual(['booking.updated']);
    // Bob still cannot be booked at that time: the booking blocks every host.
    await expect(s.bookAt(await s.eventType([bob]), at)).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('names each host who declined; one who accepts after all takes their warning back', async () => {
    const { s, booking, bob, cy, answer, types } = await booked();
    await answer('bob@contoso.com', 'declined');
    expect(await answer('cy@contoso.com', 'declined')).toBe('host_answers');
    const data = () => s.outbox.events.at(-1)!.data as BookingResource;
    expect(data().warnings).toEqual([
      { code: 'HOST_DECLINED', hostId: bob },
      { code: 'HOST_DECLINED', hostId: cy },
    ]);
    expect(await answer('bob@contoso.com', 'accepted')).toBe('host_answers');
    expect(data().warnings).toEqual([{ code: 'HOST_DECLINED', hostId: cy }]);
    expect(types().filter((t) => t === 'booking.updated')).toHaveLength(3);
    expect((await s.stored(booking.id)).declinedHosts).toEqual([cy]);
  });

  it('keeps the warning through a calendar write (a Teams link, a move) made after it', async () => {
    const { s, booking, bob, answer } = await booked();
    await answer('bob@contoso.com', 'declined');
    const stored = await s.stored(booking.id);
    stored.calendarWritten({
      eventId: stored.calendar.eventId!,
      joinUrl: null,
      start: stored.start,
      end: stored.end,
      now: new Date(at),
    });
    expect(stored.view().warnings).toEqual(expect.arrayContaining(['HOST_DECLINED']));
    expect(stored.declinedHosts).toEqual([bob]);
  });

  it('ignores the guest declining', async () => {
    const { answer, types } = await booked();
    const before = types().length;
    expect(await answer('jordan@example.com', 'declined')).toBe('none');
    expect(types().length).toBe(before);
  });
});
