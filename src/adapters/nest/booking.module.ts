// Bookings and the holds that become them: use cases, the calendar-sync worker, reminders (and
// the purge of expired idempotency records, OAuth states, rate-limit counters and old audit events, run by
// the same jobs).
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { CalendarSyncQueue } from '@application/ports/calendar-sync.queue.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { MemberAccessReadModel } from '@application/ports/member-access.read-model.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { RateLimitCounters } from '@application/ports/rate-limit-counters.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { FirstCalendarAttempt } from '@application/booking/first-calendar-attempt.js';
import { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking } from '@application/booking/get-booking.use-case.js';
import { ListBookings } from '@application/booking/list-bookings.use-case.js';
import { SendDueReminders } from '@application/booking/send-due-reminders.use-case.js';
import { PurgeExpiredRecords } from '@application/maintenance/purge-expired-records.use-case.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { ManageTokens } from '@application/ports/manage-tokens.js';
import { BookingsController } from '../http/controllers/bookings.controller.js';
import { HoldsController } from '../http/controllers/holds.controller.js';
import { HoldRepository } from '@application/ports/hold.repository.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { GetHold } from '@application/hold/get-hold.use-case.js';
import { ReleaseHold } from '@application/hold/release-hold.use-case.js';
import { ReleaseHeldBy } from '@application/hold/release-held-by.use-case.js';
import { BookingJobs, BookingJobsOptions } from '../jobs/booking-jobs.js';
import { AvailabilityModule } from './availability.module.js';
import { construct } from './provide.js';

const providers = [
  construct(BookingCommitter, [
    BookingRepository,
    CalendarSyncQueue,
    DomainEventOutbox,
    BookingResources,
    UnitOfWork,
  ]),
  construct(SyncBookingCalendar, [
    BookingRepository,
    CalendarSyncQueue,
    CalendarWriter,
    BookingCommitter,
    CalendarVersions,
    Clock,
    UnitOfWork,
    OperationalLog,
    RecordMicrosoftFailure,
  ]),
  construct(FirstCalendarAttempt, [
    SyncBookingCalendar,
    CalendarSyncQueue,
    BookingRepository,
    BookingCommitter,
    Clock,
    UnitOfWork,
  ]),
  construct(BookSlot, [
    HostCalendars,
    BookingRepository,
    MicrosoftConnectionRepository,
    BookingCommitter,
    FirstCalendarAttempt,
    IdGenerator,
    ManageTokens,
    Clock,
    RoomCalendars,
    MemberAccessReadModel,
  ]),
  construct(RescheduleBooking, [
    BookingRepository,
    EventTypeRepository,
    HostCalendars,
    BookingCommitter,
    FirstCalendarAttempt,
    IdGenerator,
    Clock,
    UnitOfWork,
    RoomCalendars,
    MemberAccessReadModel,
  ]),
  construct(CancelBooking, [BookingRepository, BookingCommitter, FirstCalendarAttempt, Clock, UnitOfWork]),
  construct(BookFromHold, [
    HoldRepository,
    EventTypeRepository,
    BookingRepository,
    BookingCommitter,
    FirstCalendarAttempt,
    IdGenerator,
    ManageTokens,
    Clock,
    UnitOfWork,
    RoomCalendars,
  ]),
  construct(PlaceHold, [
    HostCalendars,
    HoldRepository,
    BookingRepository,
    MicrosoftConnectionRepository,
    IdGenerator,
    Clock,
    UnitOfWork,
    RoomCalendars,
  ]),
  construct(GetHold, [HoldRepository, Clock]),
  construct(ReleaseHold, [HoldRepository, Clock, UnitOfWork]),
  construct(ReleaseHeldBy, [HoldRepository, Clock, UnitOfWork]),
  construct(GetBooking, [BookingRepository]),
  construct(ListBookings, [BookingRepository]),
  construct(SendDueReminders, [BookingRepository, BookingCommitter, Clock, UnitOfWork]),
  construct(BookingJobsOptions, []),
  construct(PurgeExpiredRecords, [
    IdempotencyStore,
    BookingRepository,
    AuthorizationStateRepository,
    Clock,
    RateLimitCounters,
    AuditTrail,
    HoldRepository,
  ]),
  construct(BookingJobs, [
    SyncBookingCalendar,
    SendDueReminders,
    BookingJobsOptions,
    SchedulerRegistry,
    PurgeExpiredRecords,
    WorkspaceReadCache,
  ]),
];

@Module({
  imports: [AvailabilityModule],
  controllers: [BookingsController, HoldsController],
  providers,
  exports: [
    BookingJobs,
    BookingJobsOptions,
    BookingCommitter,
    SyncBookingCalendar,
    BookSlot,
    RescheduleBooking,
    CancelBooking,
    GetBooking,
    ListBookings,
    PlaceHold,
    ReleaseHold,
    ReleaseHeldBy,
    BookFromHold,
  ],
})
export class BookingModule {}
