// Bookings: use cases, the Graph calendar writer, the calendar-sync outbox and its worker, reminders (and
// the purge of expired idempotency records, OAuth states, rate-limit counters and old audit events, run by
// the same jobs).
import { Module, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { CalendarSyncQueue } from '@application/ports/calendar-sync.queue.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import {
  AuthorizationStateRepository,
  MicrosoftConnectionRepository,
} from '@application/ports/microsoft-connection.repository.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { RateLimitCounters } from '@application/ports/rate-limit-counters.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { CalendarVersions } from '@application/ports/free-busy.gateway.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { FirstCalendarAttempt } from '@application/booking/first-calendar-attempt.js';
import { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking, ListBookings } from '@application/booking/read-bookings.use-case.js';
import { SendDueReminders } from '@application/booking/send-due-reminders.use-case.js';
import { PurgeExpiredRecords } from '@application/maintenance/purge-expired-records.use-case.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { ManageTokens } from '@application/ports/manage-tokens.js';
import { MikroOrmBookingRepository } from '../persistence/mikro-orm-booking.repository.js';
import { MikroOrmCalendarSyncQueue } from '../persistence/mikro-orm-calendar-sync.queue.js';
import { GraphCalendarWriter } from '../microsoft/graph/graph-calendar.writer.js';
import { GraphClients } from '../microsoft/graph/graph-clients.js';
import { BookingsController } from '../http/controllers/bookings.controller.js';
import { BookingJobs, BookingJobsOptions } from '../jobs/booking-jobs.js';
import { AvailabilityModule } from './availability.module.js';

function factory<T>(
  provide: abstract new (...args: never[]) => T,
  inject: unknown[],
  make: (...deps: never[]) => T,
) {
  return { provide, useFactory: make, inject } as Provider;
}

const providers: Provider[] = [
  factory(BookingRepository, [EntityManager], (em: EntityManager) => new MikroOrmBookingRepository(em)),
  factory(CalendarSyncQueue, [EntityManager], (em: EntityManager) => new MikroOrmCalendarSyncQueue(em)),
  factory(CalendarWriter, [GraphClients], (g: GraphClients) => new GraphCalendarWriter(g)),
  factory(
    BookingCommitter,
    [BookingRepository, CalendarSyncQueue, DomainEventOutbox, BookingResources, UnitOfWork],
    (b: BookingRepository, q: CalendarSyncQueue, o: DomainEventOutbox, r: BookingResources, u: UnitOfWork) =>
      new BookingCommitter(b, q, o, r, u),
  ),
  factory(
    SyncBookingCalendar,
    [
      BookingRepository,
      CalendarSyncQueue,
      CalendarWriter,
      BookingCommitter,
      CalendarVersions,
      Clock,
      UnitOfWork,
      OperationalLog,
    ],
    (
      b: BookingRepository,
      q: CalendarSyncQueue,
      w: CalendarWriter,
      m: BookingCommitter,
      v: CalendarVersions,
      c: Clock,
      u: UnitOfWork,
      l: OperationalLog,
    ) => new SyncBookingCalendar(b, q, w, m, v, c, u, l),
  ),
  factory(
    FirstCalendarAttempt,
    [SyncBookingCalendar, CalendarSyncQueue, BookingRepository, BookingCommitter, Clock, UnitOfWork],
    (
      s: SyncBookingCalendar,
      q: CalendarSyncQueue,
      b: BookingRepository,
      m: BookingCommitter,
      c: Clock,
      u: UnitOfWork,
    ) => new FirstCalendarAttempt(s, q, b, m, c, u),
  ),
  factory(
    BookSlot,
    [
      EventTypeRepository,
      HostCalendars,
      BookingRepository,
      MicrosoftConnectionRepository,
      BookingCommitter,
      FirstCalendarAttempt,
      IdGenerator,
      ManageTokens,
      Clock,
    ],
    (
      e: EventTypeRepository,
      h: HostCalendars,
      b: BookingRepository,
      m: MicrosoftConnectionRepository,
      k: BookingCommitter,
      f: FirstCalendarAttempt,
      i: IdGenerator,
      t: ManageTokens,
      c: Clock,
    ) => new BookSlot(e, h, b, m, k, f, i, t, c),
  ),
  factory(
    RescheduleBooking,
    [
      BookingRepository,
      EventTypeRepository,
      HostCalendars,
      BookingCommitter,
      FirstCalendarAttempt,
      IdGenerator,
      Clock,
      UnitOfWork,
    ],
    (
      b: BookingRepository,
      e: EventTypeRepository,
      h: HostCalendars,
      m: BookingCommitter,
      f: FirstCalendarAttempt,
      i: IdGenerator,
      c: Clock,
      u: UnitOfWork,
    ) => new RescheduleBooking(b, e, h, m, f, i, c, u),
  ),
  factory(
    CancelBooking,
    [BookingRepository, BookingCommitter, FirstCalendarAttempt, Clock, UnitOfWork],
    (b: BookingRepository, m: BookingCommitter, f: FirstCalendarAttempt, c: Clock, u: UnitOfWork) =>
      new CancelBooking(b, m, f, c, u),
  ),
  factory(GetBooking, [BookingRepository], (b: BookingRepository) => new GetBooking(b)),
  factory(ListBookings, [BookingRepository], (b: BookingRepository) => new ListBookings(b)),
  factory(
    SendDueReminders,
    [BookingRepository, BookingCommitter, Clock, UnitOfWork],
    (b: BookingRepository, m: BookingCommitter, c: Clock, u: UnitOfWork) => new SendDueReminders(b, m, c, u),
  ),
  { provide: BookingJobsOptions, useFactory: () => new BookingJobsOptions() },
  factory(
    PurgeExpiredRecords,
    [IdempotencyStore, BookingRepository, AuthorizationStateRepository, Clock, RateLimitCounters, AuditTrail],
    (
      i: IdempotencyStore,
      b: BookingRepository,
      a: AuthorizationStateRepository,
      c: Clock,
      r: RateLimitCounters,
      t: AuditTrail,
    ) => new PurgeExpiredRecords(i, b, a, c, r, t),
  ),
  factory(
    BookingJobs,
    [SyncBookingCalendar, SendDueReminders, BookingJobsOptions, SchedulerRegistry, PurgeExpiredRecords],
    (
      s: SyncBookingCalendar,
      r: SendDueReminders,
      o: BookingJobsOptions,
      g: SchedulerRegistry,
      p: PurgeExpiredRecords,
    ) => new BookingJobs(s, r, o, g, p),
  ),
];

@Module({
  imports: [AvailabilityModule],
  controllers: [BookingsController],
  providers,
  exports: [
    BookingRepository,
    BookingCommitter,
    CalendarWriter,
    CalendarSyncQueue,
    BookingJobs,
    BookingJobsOptions,
    SyncBookingCalendar,
    BookSlot,
    RescheduleBooking,
    CancelBooking,
  ],
})
export class BookingModule {}
