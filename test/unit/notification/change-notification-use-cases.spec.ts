// The change-notification use cases on in-memory fakes: clientState checks, free/busy invalidation,
// bookings following Outlook (deleted, moved, our own writes, a move onto another booking), retries,
// lifecycle events, delta resync, renewal and the subscription made on connect.
import { FollowRoomAnswer } from '@application/booking/follow-room-answer.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { Booking } from '@domain/booking/booking.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { DomainError } from '@domain/shared/domain-error.js';
import type { LifecycleEvent, ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { InMemoryCalendarSyncQueue } from '@adapters/in-memory/in-memory-calendar-sync.queue.js';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';
import {
  FollowOutlookEvent,
  CALENDAR_MOVE_CONFLICT,
} from '@application/notification/follow-outlook-event.js';
import { ResyncCalendar } from '@application/notification/resync-calendar.use-case.js';
import { WatchCalendar } from '@application/notification/watch-calendar.use-case.js';
import {
  INBOX_MAX_ATTEMPTS,
  ProcessCalendarNotifications,
} from '@application/notification/process-calendar-notifications.use-case.js';
import { RenewCalendarSubscriptions } from '@application/notification/renew-calendar-subscriptions.use-case.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { FakeCalendarWriter, fakeChangeKey } from '@adapters/in-memory/fake-calendar.writer.js';
import { FakeCalendarChangeFeed } from '@adapters/in-memory/fake-calendar-change.feed.js';
import { InMemoryCalendarSubscriptionRepository } from '@adapters/in-memory/in-memory-calendar-subscription.repository.js';
import { InMemoryChangeNotificationCoverage } from '@adapters/in-memory/in-memory-change-notification-coverage.js';
import { InMemoryChangeNotificationInbox } from '@adapters/in-memory/in-memory-change-notification.inbox.js';
import { NodeClientStates } from '@adapters/system/node-client-states.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';
import { parseGraphNotifications } from '@adapters/http/graph-notifications.js';
import { testBookingResources, testManageTokens } from '../../support/booking-links.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { aConnection } from '../../builders/availability.builder.js';
import { recordMicrosoftFailure } from '../../builders/microsoft-failure.builder.js';

const WS = '11111111-1111-4111-8111-111111111111';
const HOST = '22222222-2222-4222-8222-222222222222';

class RecordingOutbox extends DomainEventOutbox {
  readonly events: DomainEvent[] = [];
  async record(event: DomainEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }
}

function world() {
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const subscriptions = new InMemoryCalendarSubscriptionRepository();
  const inbox = new InMemoryChangeNotificationInbox(subscriptions);
  const feed = new FakeCalendarChangeFeed();
  const clientStates = new NodeClientStates();
  const versions = new InMemoryCalendarVersions();
  const bookings = new InMemoryBookingRepository();
  const writer = new FakeCalendarWriter();
  const outbox = new RecordingOutbox();
  const uow = new InMemoryUnitOfWork();
  const committer = new BookingCommitter(
    bookings,
    new InMemoryCalendarSyncQueue(),
    outbox,
    testBookingResources(),
    uow,
  );
  const follow = new FollowOutlookEvent(
    bookings,
    writer,
    committer,
    clock,
    uow,
    new FollowRoomAnswer(
      bookings,
      new InMemoryEventTypeRepository(),
      new RoomCalendars(new FakeFreeBusyGateway()),
      committer,
      clock,
      uow,
    ),
  );
  const log = new RecordingOperationalLog();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const failures = recordMicrosoftFailure({ connections, clock, subscriptions });
  const watch = new WatchCalendar(subscriptions, feed, clientStates, clock, log, failures);
  const resync = new ResyncCalendar(subscriptions, feed, versions, follow, clock);
  const process = new ProcessCalendarNotifications(
    inbox,
    subscriptions,
    clientStates,
    versions,
    follow,
    watch,
    resync,
    feed,
    clock,
    log,
    failures,
  );
  const renew = new RenewCalendarSubscriptions(subscriptions, feed, watch, resync, clock, log, failures);
  const version = async () => (await versions.current(WS, [HOST])).get(HOST) ?? 0;
  /** Subscribes the host and returns the client state Graph was given. */
  const subscribed = async () => {
    const sub = await watch.subscribe(WS, HOST);
    return { id: sub.subscriptionId!, clientState: feed.subscriptions.get(sub.subscriptionId!)!.clientState };
  };
  const notify = (
    sub: { id: string },
    clientState: string | null,
    eventId: string,
    key = eventId,
    changeKey: string | null = null,
  ) =>
    inbox.accept(
      [
        {
          kind: 'change',
          subscriptionId: sub.id,
          clientState,
          changeType: 'updated',
          eventId,
          changeKey,
          dedupeKey: `${key}-${Math.random()}`,
        },
      ],
      clock.now(),
    );
  const lifecycle = (sub: { id: string; clientState: string }, event: LifecycleEvent) =>
    inbox.accept(
      [
        {
          kind: 'lifecycle',
          subscriptionId: sub.id,
          clientState: sub.clientState,
          lifecycleEvent: event,
          dedupeKey: `l-${Math.random()}`,
        } satisfies ReceivedNotification,
      ],
      clock.now(),
    );
  /** A confirmed booking with its event in the fake Outlook, 10:00–10:30 UTC on Dec 3. */
  const booking = async (start = '2026-12-03T10:00:00Z') => {
    const id = crypto.randomUUID();
    const { hash, sealed } = testManageTokens().issue(id);
    const b = Booking.confirm({
      id,
      workspaceId: WS,
      eventTypeId: crypto.randomUUID(),
      hostId: HOST,
      start: new Date(start),
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      guest: { name: 'Jordan', email: 'jordan@example.com', timeZone: null },
      note: null,
      title: 'Intro',
      location: { kind: 'teams', value: null },
      transactionId: crypto.randomUUID(),
      manageToken: { hash, sealed },
      now: clock.now(),
    });
    const written = await writer.createEvent(WS, HOST, {
      subject: 'Intro',
      bodyHtml: '',
      start: b.start,
      end: b.end,
      attendee: { name: 'Jordan', email: 'jordan@example.com' },
      location: { kind: 'teams', value: null },
      transactionId: b.calendar.transactionId,
    });
    b.calendarWritten({ ...written, start: b.start, end: b.end, now: clock.now() });
    await bookings.add(b);
    return { id: b.id, eventId: written.eventId, changeKey: written.changeKey };
  };
  const stored = async (id: string) => (await bookings.findById(WS, id))!.toSnapshot();
  return {
    clock,
    subscriptions,
    inbox,
    feed,
    versions,
    bookings,
    writer,
    outbox,
    follow,
    watch,
    process,
    renew,
    version,
    subscribed,
    notify,
    lifecycle,
    booking,
    stored,
    log,
    connections,
  };
}

/** The event ids of each read of bookings by calendar event, one read of one or more events per entry. */
function readsOfBookingsByEvent(bookings: InMemoryBookingRepository): string[][] {
  const reads: string[][] = [];
  const one = bookings.findByCalendarEvent.bind(bookings);
  const many = bookings.findByCalendarEvents.bind(bookings);
  bookings.findByCalendarEvent = (workspaceId, hostId, eventId) => {
    reads.push([eventId]);
    return one(workspaceId, hostId, eventId);
  };
  bookings.findByCalendarEvents = (workspaceId, hostId, eventIds) => {
    reads.push([...eventIds]);
    return many(workspaceId, hostId, eventIds);
  };
  return reads;
}

describe('processing notifications', () => {
  it('drops and counts items whose clientState is wrong or missing; nothing is invalidated', async () => {
    const w = world();
    const sub = await w.subscribed();
    await w.notify(sub, 'forged', 'e1');
    await w.notify(sub, null, 'e2');
    const report = await w.process.runOnce();
    expect(report).toMatchObject({ claimed: 2, rejected: 2 });
    expect(await w.version()).toBe(0);
    expect(w.subscriptions.rows.get(HOST)!.rejected).toBe(2);
    expect(w.inbox.pending()).toBe(0);
    expect(w.log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'graph.notifications_dropped',
        fields: {
          workspaceId: WS,
          memberId: HOST,
          subscriptionId: sub.id,
          count: 2,
          reason: 'clientState mismatch',
        },
      }),
    ]);
  });

  it('invalidates the member’s free/busy once per batch, however many notifications', async () => {
    const w = world();
    const sub = await w.subscribed();
    for (const e of ['e1', 'e2', 'e3']) await w.notify(sub, sub.clientState, e);
    expect(await w.process.runOnce()).toMatchObject({ claimed: 3, rejected: 0, failed: 0 });
    expect(await w.version()).toBe(1);
  });

  it('keeps no item of an unknown subscription, and each retried item once', async () => {
    const w = world();
    const sub = await w.subscribed();
    const item: ReceivedNotification = {
      kind: 'change',
      subscriptionId: sub.id,
      clientState: sub.clientState,
      changeType: 'updated',
      eventId: 'e1',
      changeKey: null,
      dedupeKey: 'same',
    };
    expect(
      await w.inbox.accept(
        [item, item, { ...item, subscriptionId: 'unknown', dedupeKey: 'x' }],
        w.clock.now(),
      ),
    ).toBe(1);
  });

  it('our own write coming back (its change key) is not read back, and leaves the free/busy version alone', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    expect(b.changeKey).not.toBeNull();
    await w.notify(sub, sub.clientState, b.eventId, 'created', b.changeKey);
    await w.notify(sub, sub.clientState, b.eventId, 'created-again', b.changeKey);
    expect(await w.process.runOnce()).toMatchObject({ claimed: 2, failed: 0 });
    expect(w.writer.reads).toBe(0);
    expect(await w.version()).toBe(0);
    expect(w.outbox.events).toEqual([]);
  });

  it('our own writes of several events coming back in one batch: their bookings read together, once', async () => {
    const w = world();
    const sub = await w.subscribed();
    const made = [
      await w.booking('2026-12-03T10:00:00Z'),
      await w.booking('2026-12-03T11:00:00Z'),
      await w.booking('2026-12-03T12:00:00Z'),
    ];
    const reads = readsOfBookingsByEvent(w.bookings);
    for (const b of made) await w.notify(sub, sub.clientState, b.eventId, b.eventId, b.changeKey);
    // An event of the host's own, without a booking: settled by the same read.
    await w.notify(sub, sub.clientState, 'their-own-event');
    expect(await w.process.runOnce()).toMatchObject({ claimed: 4, failed: 0 });
    expect(reads).toEqual([[...made.map((b) => b.eventId), 'their-own-event']]);
    expect(w.writer.reads).toBe(0);
  });

  it('an event the host changed is followed, and the events after it in the batch are read again after it', async () => {
    const w = world();
    const sub = await w.subscribed();
    const [first, moved, last] = [
      await w.booking('2026-12-03T10:00:00Z'),
      await w.booking('2026-12-03T11:00:00Z'),
      await w.booking('2026-12-03T12:00:00Z'),
    ];
    const event = w.writer.events.get(moved!.eventId)!;
    Object.assign(event, {
      start: new Date('2026-12-03T15:00:00Z'),
      end: new Date('2026-12-03T15:30:00Z'),
      version: event.version + 1,
    });
    // While the moved event is read from Outlook, the guest cancels the last booking: read after, it is seen.
    const readEvent = w.writer.readEvent.bind(w.writer);
    w.writer.readEvent = async (workspaceId, hostId, eventId) => {
      const cancelled = Booking.fromSnapshot(await w.stored(last!.id));
      cancelled.cancel({ by: 'guest', reason: null, now: w.clock.now() });
      await w.bookings.save(cancelled);
      return readEvent(workspaceId, hostId, eventId);
    };
    const reads = readsOfBookingsByEvent(w.bookings);
    await w.notify(sub, sub.clientState, first!.eventId, 'a', first!.changeKey);
    await w.notify(sub, sub.clientState, moved!.eventId, 'b', fakeChangeKey(event));
    await w.notify(sub, sub.clientState, last!.eventId, 'c', last!.changeKey);
    expect(await w.process.runOnce()).toMatchObject({ claimed: 3, failed: 0 });
    expect(reads).toEqual([[first!.eventId, moved!.eventId, last!.eventId], [last!.eventId]]);
    expect(w.writer.reads).toBe(1);
    expect((await w.stored(moved!.id)).start).toEqual(new Date('2026-12-03T15:00:00Z'));
    expect(w.outbox.events.map((e) => (e.data as { change: string }).change)).toEqual(['moved']);
  });

  it('a change key other than our last write’s is read and followed, and invalidates the free/busy', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    const event = w.writer.events.get(b.eventId)!;
    // The host moved the event in Outlook: a new version of it.
    Object.assign(event, {
      start: new Date(event.start.getTime() + 3_600_000),
      end: new Date(event.end.getTime() + 3_600_000),
      version: event.version + 1,
    });
    await w.notify(sub, sub.clientState, b.eventId, 'ours', b.changeKey);
    await w.notify(sub, sub.clientState, b.eventId, 'theirs', fakeChangeKey(event));
    await w.process.runOnce();
    expect(w.writer.reads).toBe(1);
    expect(await w.version()).toBe(1);
    expect((await w.stored(b.id)).start).toEqual(event.start);
  });

  it('a deletion is followed even when it names our last write’s change key', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    w.writer.events.delete(b.eventId);
    await w.inbox.accept(
      [
        {
          kind: 'change',
          subscriptionId: sub.id,
          clientState: sub.clientState,
          changeType: 'deleted',
          eventId: b.eventId,
          changeKey: b.changeKey,
          dedupeKey: 'deleted',
        },
      ],
      w.clock.now(),
    );
    await w.process.runOnce();
    expect(await w.stored(b.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'host' });
    expect(await w.version()).toBe(1);
  });

  it('a booking whose event is gone is cancelled by the host, with booking.calendar_changed "deleted"', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    w.writer.events.delete(b.eventId);
    await w.notify(sub, sub.clientState, b.eventId);
    await w.process.runOnce();
    expect(await w.stored(b.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'host' });
    expect(w.outbox.events).toEqual([
      expect.objectContaining({
        type: 'booking.calendar_changed',
        data: expect.objectContaining({
          id: b.id,
          change: 'deleted',
          status: 'cancelled',
          cancelledBy: 'host',
        }),
      }),
    ]);
    // Told again (Graph retries, a later update): nothing more happens.
    await w.notify(sub, sub.clientState, b.eventId);
    await w.process.runOnce();
    expect(w.outbox.events).toHaveLength(1);
  });

  it('a booking whose event is cancelled in Outlook is cancelled too', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    w.writer.events.get(b.eventId)!.isCancelled = true;
    await w.notify(sub, sub.clientState, b.eventId);
    await w.process.runOnce();
    expect((await w.stored(b.id)).status).toBe('cancelled');
  });

  it('a booking whose event moved takes the new time, with "moved"; our own write changes nothing', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    await w.notify(sub, sub.clientState, b.eventId); // the notification of our own create
    await w.process.runOnce();
    expect(w.outbox.events).toEqual([]);
    Object.assign(w.writer.events.get(b.eventId)!, {
      start: new Date('2026-12-03T14:00:00Z'),
      end: new Date('2026-12-03T14:30:00Z'),
    });
    await w.notify(sub, sub.clientState, b.eventId);
    await w.process.runOnce();
    expect(await w.stored(b.id)).toMatchObject({
      status: 'confirmed',
      start: new Date('2026-12-03T14:00:00Z'),
      end: new Date('2026-12-03T14:30:00Z'),
    });
    expect(w.outbox.events.map((e) => (e.data as { change: string }).change)).toEqual(['moved']);
  });

  it('ignores Outlook still showing the time we last wrote while our own move is pending', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    const booking = Booking.fromSnapshot(await w.stored(b.id));
    booking.reschedule({ start: new Date('2026-12-04T10:00:00Z'), now: w.clock.now() });
    await (w as unknown as { stored: unknown }).stored; // keep the linter quiet about unused parts
    await w.subscriptions.findByMember(WS, HOST);
    // Save the API's reschedule as the repository would.
    const repo = (w.process as unknown as { follow: { bookings: InMemoryBookingRepository } }).follow
      .bookings;
    await repo.save(booking);
    await w.notify(sub, sub.clientState, b.eventId);
    await w.process.runOnce();
    expect((await w.stored(b.id)).start).toEqual(new Date('2026-12-04T10:00:00Z'));
    expect(w.outbox.events).toEqual([]);
  });

  it('a move onto another booking keeps the booking at its time and says so with CALENDAR_MOVE_CONFLICT', async () => {
    const w = world();
    const sub = await w.subscribed();
    const moved = await w.booking('2026-12-03T10:00:00Z');
    await w.booking('2026-12-03T15:00:00Z');
    Object.assign(w.writer.events.get(moved.eventId)!, {
      start: new Date('2026-12-03T15:00:00Z'),
      end: new Date('2026-12-03T15:30:00Z'),
    });
    await w.notify(sub, sub.clientState, moved.eventId);
    expect(await w.process.runOnce()).toMatchObject({ failed: 0 });
    expect(await w.stored(moved.id)).toMatchObject({
      status: 'confirmed',
      start: new Date('2026-12-03T10:00:00Z'),
    });
    expect(w.outbox.events).toEqual([
      expect.objectContaining({
        type: 'booking.calendar_changed',
        data: expect.objectContaining({
          change: 'moved',
          start: '2026-12-03T10:00:00Z',
          warnings: [{ code: CALENDAR_MOVE_CONFLICT }],
          outlook: { start: '2026-12-03T15:00:00Z', end: '2026-12-03T15:30:00Z' },
        }),
      }),
    ]);
    // Stored on the booking, and the same move seen again (a notification, a resync) says nothing new.
    expect((await w.stored(moved.id)).warnings).toEqual([CALENDAR_MOVE_CONFLICT]);
    await w.notify(sub, sub.clientState, moved.eventId);
    await w.process.runOnce();
    expect(w.outbox.events).toHaveLength(1);
    // Another conflicting time is another event; Outlook put back clears the warning.
    const outlookAt = async (start: string, end: string) => {
      Object.assign(w.writer.events.get(moved.eventId)!, { start: new Date(start), end: new Date(end) });
      await w.notify(sub, sub.clientState, moved.eventId);
      await w.process.runOnce();
    };
    await outlookAt('2026-12-03T15:15:00Z', '2026-12-03T15:45:00Z');
    expect(w.outbox.events).toHaveLength(2);
    await outlookAt('2026-12-03T10:00:00Z', '2026-12-03T10:30:00Z');
    expect((await w.stored(moved.id)).warnings).toEqual([]);
    expect(w.outbox.events).toHaveLength(2);
  });

  it('retries an item whose processing failed (Microsoft unavailable) with backoff, and gives up in the end', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    w.writer.failNext(100);
    const read = w.writer.readEvent.bind(w.writer);
    w.writer.readEvent = async (...args) => {
      (w.writer as unknown as { maybeFail(s: string): void }).maybeFail('before');
      return read(...args);
    };
    await w.notify(sub, sub.clientState, b.eventId);
    expect(await w.process.runOnce()).toMatchObject({ failed: 1 });
    expect(await w.process.runOnce()).toMatchObject({ claimed: 0 }); // backing off
    for (let i = 1; i < INBOX_MAX_ATTEMPTS; i++) {
      w.clock.advance(3_600_000);
      await w.process.runOnce();
    }
    expect(w.inbox.pending()).toBe(0);
    expect(w.inbox.items[0]!.error).toMatch(/503/);
    const failed = w.log.of('graph.notification_failed');
    expect(failed.map((l) => l.fields.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(failed[0]!.fields).toMatchObject({ workspaceId: WS, memberId: HOST, subscriptionId: sub.id });
    expect(w.log.of('graph.notification_given_up')).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ count: 1, memberId: HOST }),
      }),
    ]);
  });
});

describe('lifecycle events and resync', () => {
  it('reauthorizationRequired reauthorizes and renews', async () => {
    const w = world();
    const sub = await w.subscribed();
    w.clock.advance(3600_000);
    await w.lifecycle(sub, 'access_expiring');
    await w.process.runOnce();
    expect(w.feed.calls).toEqual(['subscribe', 'reauthorize', 'renew']);
    expect(w.subscriptions.rows.get(HOST)!.expiresAt!.getTime()).toBe(
      w.clock.now().getTime() + 4220 * 60_000,
    );
  });

  it('subscriptionRemoved makes a new subscription and resynchronises: a booking deleted meanwhile is cancelled', async () => {
    const w = world();
    const sub = await w.subscribed();
    const b = await w.booking();
    w.feed.subscriptions.delete(sub.id);
    w.writer.events.delete(b.eventId);
    w.feed.touch(b.eventId);
    await w.lifecycle(sub, 'subscription_removed');
    await w.process.runOnce();
    const row = w.subscriptions.rows.get(HOST)!;
    expect(row.subscriptionId).not.toBe(sub.id);
    expect(row.status).toBe('active');
    expect(row.deltaLink).toMatch(/^delta-/);
    expect((await w.stored(b.id)).status).toBe('cancelled');
    expect(await w.version()).toBe(1);
  });

  it('missed resynchronises from the stored delta link, and starts over when the token expired', async () => {
    const w = world();
    const sub = await w.subscribed();
    await w.lifecycle(sub, 'notifications_missed');
    await w.process.runOnce();
    expect(w.feed.calls.slice(-1)).toEqual(['delta:scratch']);
    await w.lifecycle(sub, 'notifications_missed');
    await w.process.runOnce();
    expect(w.feed.calls.slice(-1)).toEqual(['delta:link']);
    w.feed.expireTokens();
    await w.lifecycle(sub, 'notifications_missed');
    await w.process.runOnce();
    expect(w.feed.calls.slice(-2)).toEqual(['delta:link', 'delta:scratch']);
    expect(w.subscriptions.rows.get(HOST)!.deltaLink).toMatch(/^delta-/);
  });
});

describe('making subscriptions safely', () => {
  it('two instances subscribing a member at once leave one Graph subscription, the one stored', async () => {
    const w = world();
    const made = await Promise.all([w.watch.subscribe(WS, HOST), w.watch.subscribe(WS, HOST)]);
    expect(w.feed.subscriptions.size).toBe(1);
    const row = w.subscriptions.rows.get(HOST)!;
    expect([...w.feed.subscriptions.keys()]).toEqual([row.subscriptionId]);
    expect(made.map((m) => m.subscriptionId)).toContain(row.subscriptionId);
    // Replaced later, the former one is dropped at Graph.
    await w.watch.subscribe(WS, HOST);
    expect(w.feed.subscriptions.size).toBe(1);
    expect(w.subscriptions.rows.get(HOST)!.subscriptionId).not.toBe(row.subscriptionId);
  });

  it('a subscription replaced while Graph was making it is removed from Graph', async () => {
    const w = world();
    const original = w.feed.subscribe.bind(w.feed);
    let once = true;
    w.feed.subscribe = async (...args) => {
      const made = await original(...args);
      // The member disconnects while Graph answers.
      if (once) await w.subscriptions.delete(WS, HOST);
      once = false;
      return made;
    };
    await w.watch.subscribe(WS, HOST);
    expect(w.feed.subscriptions.size).toBe(0);
    expect(w.subscriptions.rows.get(HOST)).toBeUndefined();
  });

  it('a notification Graph sends before its create answers is kept and handled', async () => {
    const w = world();
    const b = await w.booking();
    const original = w.feed.subscribe.bind(w.feed);
    w.feed.subscribe = async (...args) => {
      const made = await original(...args);
      w.writer.events.delete(b.eventId);
      await w.notify({ id: made.subscriptionId }, args[2].clientState, b.eventId);
      return made;
    };
    await w.watch.subscribe(WS, HOST);
    expect(w.inbox.items).toHaveLength(1);
    await w.process.runOnce();
    expect((await w.stored(b.id)).status).toBe('cancelled');
  });

  it('an item of a subscription not stored yet is looked at again shortly, then given up', async () => {
    const w = world();
    await w.subscribed();
    const pending = { ...w.subscriptions.rows.get(HOST)!, subscriptionId: null, clientStateHash: null };
    const issued = new NodeClientStates().issue();
    await w.subscriptions.save({ ...pending, status: 'failed', clientStateHash: issued.hash });
    expect(await w.notify({ id: 'not-yet-stored' }, issued.value, 'e1')).toBe(1);
    for (let i = 0; i < 4; i++) {
      expect((await w.process.runOnce()).claimed).toBe(1);
      expect((await w.process.runOnce()).claimed).toBe(0);
      w.clock.advance(2_000);
    }
    await w.process.runOnce();
    expect(w.inbox.items[0]!.done).toBe(true);
    expect(w.log.of('graph.notifications_dropped').map((l) => l.fields)).toEqual([
      { subscriptionId: 'not-yet-stored', count: 1, reason: 'unknown subscription' },
    ]);
  });

  it('a redelivered subscriptionRemoved recreates the subscription once', async () => {
    const w = world();
    const sub = await w.subscribed();
    w.feed.subscriptions.delete(sub.id);
    const body = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: '2026-12-04T06:30:00Z',
          clientState: sub.clientState,
          lifecycleEvent: 'subscriptionRemoved',
        },
      ],
    };
    // Delivered twice, then two workers (instances) each claim an item.
    await w.inbox.accept(parseGraphNotifications(body), w.clock.now());
    await w.inbox.accept(parseGraphNotifications(body), w.clock.now());
    expect(w.inbox.items).toHaveLength(1);
    await Promise.all([w.process.runOnce(1), w.process.runOnce(1)]);
    expect(w.feed.calls.filter((c) => c === 'subscribe')).toHaveLength(2);
    expect(w.feed.subscriptions.size).toBe(1);
  });
});

describe('lifecycle dedupe keys', () => {
  const body = (event: string, expiry = '2026-12-04T06:30:00Z') => ({
    value: [
      {
        subscriptionId: 's1',
        subscriptionExpirationDateTime: expiry,
        clientState: 'c',
        lifecycleEvent: event,
      },
    ],
  });
  const key = (b: unknown) => parseGraphNotifications(b)[0]!.dedupeKey;

  it('are the same for a redelivered removal or reauthorization, and keep every missed', () => {
    expect(key(body('subscriptionRemoved'))).toBe(key(body('subscriptionRemoved', '2026-12-05T00:00:00Z')));
    expect(key(body('reauthorizationRequired'))).toBe(key(body('reauthorizationRequired')));
    expect(key(body('reauthorizationRequired'))).not.toBe(
      key(body('reauthorizationRequired', '2026-12-05T06:30:00Z')),
    );
    expect(key(body('missed'))).not.toBe(key(body('missed')));
  });

  it("translate Graph's lifecycle names into the core's words and drop names Graph does not send", () => {
    const events = (name: string) =>
      parseGraphNotifications(body(name)).map((n) => (n.kind === 'lifecycle' ? n.lifecycleEvent : null));
    expect(events('reauthorizationRequired')).toEqual(['access_expiring']);
    expect(events('subscriptionRemoved')).toEqual(['subscription_removed']);
    expect(events('missed')).toEqual(['notifications_missed']);
    expect(events('access_expiring')).toEqual([]);
    expect(events('toString')).toEqual([]);
  });

  it('the same event twice in one batch is handled once', async () => {
    const w = world();
    const sub = await w.subscribed();
    await w.lifecycle(sub, 'notifications_missed');
    await w.lifecycle(sub, 'notifications_missed');
    await w.process.runOnce();
    expect(w.feed.calls.filter((c) => c.startsWith('delta'))).toHaveLength(1);
  });
});

describe('members connected before subscriptions existed', () => {
  it('get one from the renewal job, once, however many instances run it', async () => {
    const w = world();
    w.subscriptions.connected.set(HOST, WS);
    const runs = await Promise.all([w.renew.runOnce(), w.renew.runOnce()]);
    expect(runs.flat()).toContain('created');
    expect(w.feed.subscriptions.size).toBe(1);
    expect(w.subscriptions.rows.get(HOST)).toMatchObject({
      status: 'active',
      subscriptionId: [...w.feed.subscriptions.keys()][0],
    });
    expect(await w.renew.runOnce()).toEqual([]);
  });

  it('an instance arriving while another one is making the subscription leaves the member alone', async () => {
    const w = world();
    w.subscriptions.connected.set(HOST, WS);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const subscribe = w.feed.subscribe.bind(w.feed);
    w.feed.subscribe = async (...args) => {
      await held; // Graph has not answered the first instance's create yet
      return subscribe(...args);
    };
    // The second instance read the members without a row before the first one claimed this one.
    const readEarly = await w.subscriptions.unwatched(50);
    const first = w.renew.runOnce();
    while (!w.subscriptions.rows.has(HOST)) await new Promise((r) => setImmediate(r));
    w.subscriptions.unwatched = async () => readEarly;
    expect(await w.renew.runOnce()).toEqual(['failed']); // what it found: a subscription being made
    release();
    expect(await first).toEqual(['created']);
    expect(w.feed.calls.filter((c) => c === 'subscribe')).toHaveLength(1);
    expect(w.feed.subscriptions.size).toBe(1);
    expect(w.subscriptions.rows.get(HOST)).toMatchObject({ status: 'active' });
  });
});

describe('resync over many pages', () => {
  it('keeps where it stopped when the pages run out before the delta link, and carries on from there', async () => {
    const w = world();
    await w.subscribed();
    const resync = new ResyncCalendar(w.subscriptions, w.feed, w.versions, w.follow, w.clock, 2);
    w.feed.pageSize = 1;
    for (const id of ['e1', 'e2', 'e3', 'e4', 'e5']) w.feed.touch(id);
    expect(await resync.execute(WS, HOST)).toBe(2);
    const carryOn = w.subscriptions.rows.get(HOST)!.deltaLink;
    expect(carryOn).toMatch(/^page-/);
    expect(await resync.execute(WS, HOST)).toBe(2);
    expect(await resync.execute(WS, HOST)).toBe(1);
    expect(w.feed.calls.filter((c) => c.startsWith('delta'))).toEqual([
      'delta:scratch',
      'delta:link',
      'delta:link',
      'delta:link',
      'delta:link',
    ]);
    expect(w.subscriptions.rows.get(HOST)!.deltaLink).toMatch(/^delta-/);
    w.feed.touch('e6');
    expect(await resync.execute(WS, HOST)).toBe(1);
  });
});

describe('subscriptions', () => {
  it('are made on connect; a refused one is recorded as failed (never a failed sign-in) and shows as not live', async () => {
    const w = world();
    w.feed.refuse = 'notificationUrl not validated';
    const connection = MicrosoftConnection.connect({
      workspaceId: WS,
      memberId: HOST,
      account: {
        userId: 'oid',
        tenantId: 'tid',
        homeAccountId: 'oid.tid',
        mailbox: 'host@contoso.com',
        timeZone: 'UTC',
        teamsEnabled: true,
      },
      now: w.clock.now(),
    });
    await expect(w.watch.connected(connection)).resolves.toBeUndefined();
    expect(w.subscriptions.rows.get(HOST)).toMatchObject({
      status: 'failed',
      failureReason: 'notificationUrl not validated',
    });
    expect(w.log.of('graph.subscription_refused').map((l) => l.fields)).toEqual([
      {
        workspaceId: WS,
        memberId: HOST,
        reason: 'notificationUrl not validated',
        nextAttemptAt: expect.any(String),
      },
    ]);
    const coverage = new InMemoryChangeNotificationCoverage(w.subscriptions);
    expect(await coverage.liveMembers(WS, [HOST], w.clock.now())).toEqual(new Set());
    // The renewal job tries again later, and a success makes it live.
    w.feed.refuse = null;
    w.clock.advance(3600_000);
    expect(await w.renew.runOnce()).toEqual(['recreated']);
    expect(await coverage.liveMembers(WS, [HOST], w.clock.now())).toEqual(new Set([HOST]));
    await w.watch.disconnected(connection);
    expect(w.subscriptions.rows.has(HOST)).toBe(false);
    expect(w.feed.subscriptions.size).toBe(0);
  });

  it('a renewal Microsoft fails is tried again later, and said in the log', async () => {
    const w = world();
    const sub = await w.subscribed();
    w.clock.advance(47 * 3600_000);
    w.feed.renew = async () => {
      throw new DomainError('MICROSOFT_UNAVAILABLE', 'Microsoft Graph answered 503');
    };
    expect(await w.renew.runOnce()).toEqual(['retry']);
    expect(w.log.of('graph.subscription_renewal_failed').map((l) => l.fields)).toEqual([
      {
        workspaceId: WS,
        memberId: HOST,
        subscriptionId: sub.id,
        error: 'Microsoft Graph answered 503',
        nextAttemptAt: new Date(w.clock.now().getTime() + 5 * 60_000).toISOString(),
      },
    ]);
  });

  it('are renewed when less than a day is left, made again when Graph lost them, and stopped when the connection is lost', async () => {
    const w = world();
    const sub = await w.subscribed();
    expect(await w.renew.runOnce()).toEqual([]);
    w.clock.advance(47 * 3600_000);
    expect(await w.renew.runOnce()).toEqual(['renewed']);
    expect(await w.renew.runOnce()).toEqual([]);
    w.feed.subscriptions.delete(sub.id);
    w.clock.advance(47 * 3600_000);
    expect(await w.renew.runOnce()).toEqual(['recreated']);
    w.clock.advance(47 * 3600_000);
    w.feed.renew = async () => {
      throw new DomainError('CONSENT_REVOKED', 'refused');
    };
    expect(await w.renew.runOnce()).toEqual(['stopped']);
    expect(w.subscriptions.rows.get(HOST)!.status).toBe('stopped');
    expect(w.log.lines.map((l) => [l.event, l.fields.memberId])).toEqual([
      ['graph.subscription_lost', HOST],
      ['graph.subscription_stopped', HOST],
    ]);
  });

  it('a renewal Microsoft refuses records the refusal: the connection is revoked and the subscription stops', async () => {
    const w = world();
    await w.connections.save(aConnection({ workspaceId: WS, memberId: HOST, mailbox: 'host@contoso.com' }));
    await w.subscribed();
    w.clock.advance(47 * 3600_000);
    w.feed.renew = async () => {
      throw new MicrosoftRefusal(
        { kind: 'revoked', tenantWide: false, reason: 'AADSTS50173' },
        { workspaceId: WS, memberId: HOST },
      );
    };
    expect(await w.renew.runOnce()).toEqual(['stopped']);
    expect((await w.connections.findByMember(WS, HOST))!.toSnapshot()).toMatchObject({
      status: 'revoked',
      statusReason: 'AADSTS50173',
    });
    expect(w.subscriptions.rows.get(HOST)!.status).toBe('stopped');
    // A plain CONSENT_REVOKED (the connection was already known to be unusable) records nothing new.
    const other = world();
    await other.connections.save(
      aConnection({ workspaceId: WS, memberId: HOST, mailbox: 'host@contoso.com' }),
    );
    await other.subscribed();
    other.clock.advance(47 * 3600_000);
    other.feed.renew = async () => {
      throw new DomainError('CONSENT_REVOKED', 'refused');
    };
    expect(await other.renew.runOnce()).toEqual(['stopped']);
    expect((await other.connections.findByMember(WS, HOST))!.status).toBe('connected');
  });
});
