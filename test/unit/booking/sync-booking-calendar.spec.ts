// The calendar sync with in-memory fakes: write once, retry with backoff (Retry-After wins), never
// duplicate, publish booking.created / booking.updated at the right moment.
import { SyncBookingCalendar, syncBackoffMs } from '@application/booking/sync-booking-calendar.use-case.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { InMemoryCalendarSyncQueue } from '@adapters/in-memory/in-memory-calendar-sync.queue.js';
import { FakeCalendarWriter } from '@adapters/in-memory/fake-calendar.writer.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { aBooking } from '../../builders/booking.builder.js';
import { recordMicrosoftFailure } from '../../builders/microsoft-failure.builder.js';
import { testBookingResources } from '../../support/booking-links.js';

function setup() {
  const bookings = new InMemoryBookingRepository();
  const queue = new InMemoryCalendarSyncQueue();
  const writer = new FakeCalendarWriter();
  const outbox = new InMemoryDomainEventOutbox();
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const log = new RecordingOperationalLog();
  const uow = new InMemoryUnitOfWork();
  const versions = new InMemoryCalendarVersions();
  const committer = new BookingCommitter(bookings, queue, outbox, testBookingResources(), uow);
  const sync = new SyncBookingCalendar(
    bookings,
    queue,
    writer,
    committer,
    versions,
    clock,
    uow,
    log,
    recordMicrosoftFailure({ outbox, clock, log }),
  );
  const version = async (hostId: string, workspaceId: string) =>
    (await versions.current(workspaceId, [hostId])).get(hostId) ?? 0;
  return { bookings, queue, writer, outbox, clock, sync, log, version };
}

async function booked(s: ReturnType<typeof setup>, overrides: Parameters<typeof aBooking>[0] = {}) {
  const b = aBooking(overrides);
  await s.bookings.add(b);
  await s.queue.enqueue(b.workspaceId, b.id, s.clock.now());
  return b;
}

describe('syncBackoffMs', () => {
  it('doubles from 5 s, caps at an hour, and lets Retry-After ask for longer', () => {
    expect([1, 2, 3, 4].map((n) => syncBackoffMs(n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(syncBackoffMs(30)).toBe(3_600_000);
    expect(syncBackoffMs(1, 120)).toBe(120_000);
  });
});

describe('SyncBookingCalendar', () => {
  it('creates the event once, stores the link, announces booking.created', async () => {
    const s = setup();
    const b = await booked(s);
    expect(await s.sync.runOnce()).toBe('synced');
    const after = (await s.bookings.findById(b.workspaceId, b.id))!.toSnapshot();
    expect(after.calendar).toMatchObject({ syncStatus: 'synced', eventId: expect.any(String) });
    expect(after.location.joinUrl).toMatch(/^https:/);
    expect(s.outbox.events.map((e) => e.type)).toEqual(['booking.created']);
    expect(await s.sync.runOnce()).toBe('nothing');
    expect(s.writer.events.size).toBe(1);
  });

  it('leaves cached free/busy alone after a new event (the booking blocks its time), not after a move', async () => {
    const s = setup();
    const b = await booked(s);
    expect(await s.sync.runOnce()).toBe('synced');
    expect(await s.version(b.hostId, b.workspaceId)).toBe(0);
    const moved = (await s.bookings.findById(b.workspaceId, b.id))!;
    moved.reschedule({ start: new Date(b.start.getTime() + 3_600_000), now: s.clock.now() });
    await s.bookings.save(moved);
    await s.queue.enqueue(b.workspaceId, b.id, s.clock.now());
    expect(await s.sync.runOnce()).toBe('synced');
    // The old time may still be busy in a cached read: the next slots query reads Microsoft again.
    expect(await s.version(b.hostId, b.workspaceId)).toBe(1);
  });

  it('on failure keeps the booking, retries after the backoff (Retry-After wins), then booking.updated', async () => {
    const s = setup();
    const b = await booked(s);
    // Already announced (the API's first attempt gave up waiting and told booking.created).
    const told = (await s.bookings.findById(b.workspaceId, b.id))!;
    told.announce(s.clock.now());
    await s.bookings.save(told);
    s.writer.failNext(1, { retryAfterSeconds: 30 });
    expect(await s.sync.runOnce()).toBe('retry');
    expect((await s.bookings.findById(b.workspaceId, b.id))!.toSnapshot().calendar).toMatchObject({
      syncStatus: 'pending',
      lastError: expect.stringMatching(/503/),
    });
    s.clock.advance(29_000);
    expect(await s.sync.runOnce()).toBe('nothing');
    s.clock.advance(1_000);
    expect(await s.sync.runOnce()).toBe('synced');
    expect(s.outbox.events.map((e) => e.type)).toEqual(['booking.updated']);
  });

  it('shows failed after repeated failures and still retries', async () => {
    const s = setup();
    const b = await booked(s);
    s.writer.failNext(3);
    for (let i = 0; i < 3; i++) {
      expect(await s.sync.runOnce()).toBe('retry');
      s.clock.advance(3_600_000);
    }
    expect((await s.bookings.findById(b.workspaceId, b.id))!.toSnapshot().calendar.syncStatus).toBe('failed');
    expect(await s.sync.runOnce()).toBe('synced');
  });

  it('shows the latest fault while the write is retried within the call, and clears it once written', async () => {
    const s = setup();
    const b = await booked(s);
    let during: { syncStatus: string; lastError: string | null } | null = null;
    s.writer.retryWithinNext(2, {
      retryAfterSeconds: 10,
      during: async () => {
        during = (await s.bookings.findById(b.workspaceId, b.id))!.toSnapshot().calendar;
      },
    });
    expect(await s.sync.runOnce()).toBe('synced');
    expect(during).toMatchObject({
      syncStatus: 'pending',
      lastError: expect.stringMatching(/503.*retrying/),
    });
    expect((await s.bookings.findById(b.workspaceId, b.id))!.toSnapshot().calendar).toMatchObject({
      syncStatus: 'synced',
      lastError: null,
    });
    // Retried and written within one call: nothing failed, nothing to log here (the Graph adapter logs faults).
    expect(s.log.lines).toEqual([]);
  });

  it('logs every failed attempt with the booking and when it is retried, as an error once it shows failed', async () => {
    const s = setup();
    const b = await booked(s, { hostId: 'h1' });
    s.writer.failNext(3, { retryAfterSeconds: 120 });
    for (let i = 0; i < 3; i++) {
      expect(await s.sync.runOnce()).toBe('retry');
      s.clock.advance(3_600_000);
    }
    expect(s.log.lines.map((l) => [l.level, l.event])).toEqual([
      ['warn', 'calendar.write_failed'],
      ['warn', 'calendar.write_failed'],
      ['error', 'calendar.write_failing'],
    ]);
    expect(s.log.lines[0]!.fields).toEqual({
      workspaceId: b.workspaceId,
      bookingId: b.id,
      hostId: 'h1',
      work: 'create',
      attempt: 1,
      error: 'Microsoft Graph answered 503',
      retryAfterSeconds: 120,
      nextAttemptAt: '2026-12-01T08:02:00.000Z',
    });
    expect(s.log.lines[2]!.message).toMatch(/failed 3 times; the booking shows syncStatus failed/);
  });

  it('does not duplicate an event whose creation answer was lost', async () => {
    const s = setup();
    await booked(s);
    s.writer.failNext(1, { afterWrite: true });
    expect(await s.sync.runOnce()).toBe('retry');
    s.clock.advance(10_000);
    expect(await s.sync.runOnce()).toBe('synced');
    expect(s.writer.events.size).toBe(1);
  });

  it('moves times only and cancels with the reason; a reassigned booking cancels the old host’s event', async () => {
    const s = setup();
    const b = await booked(s, { hostId: 'h1' });
    await s.sync.runOnce();
    const stored = (await s.bookings.findById(b.workspaceId, b.id))!;
    const firstEvent = stored.calendar.eventId!;
    stored.reschedule({ start: new Date('2026-12-05T09:00:00Z'), now: s.clock.now() });
    stored.reassign({
      hostId: 'h2',
      transactionId: 'tx-new',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      now: s.clock.now(),
    });
    await s.bookings.save(stored);
    await s.queue.enqueue(b.workspaceId, b.id, s.clock.now());
    expect(await s.sync.runOnce()).toBe('synced');
    expect(s.writer.events.get(firstEvent)).toMatchObject({ isCancelled: true });
    const moved = (await s.bookings.findById(b.workspaceId, b.id))!;
    expect(moved.calendar.eventId).not.toBe(firstEvent);
    expect(s.writer.events.get(moved.calendar.eventId!)).toMatchObject({
      hostId: 'h2',
      start: new Date('2026-12-05T09:00:00Z'),
    });
    moved.cancel({ by: 'guest', reason: 'Guest is ill', now: s.clock.now() });
    await s.bookings.save(moved);
    await s.queue.enqueue(b.workspaceId, b.id, s.clock.now());
    await s.sync.runOnce();
    expect(s.writer.events.get(moved.calendar.eventId!)).toMatchObject({
      isCancelled: true,
      comment: 'Guest is ill',
    });
  });
});
