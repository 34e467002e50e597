// Graph change notifications, the inbound half: the endpoints Graph calls, the inbox (persistence wiring), the
// worker that lets free/busy and bookings follow Outlook, and the renewal job. The subscriptions themselves
// are made on connect by MicrosoftModule's WatchCalendar. Tests set `enabled = false` on
// ChangeNotificationJobsOptions before `app.init()` and call the jobs' *Once methods.
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '@application/ports/clock.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { CalendarChangeFeed } from '@application/ports/calendar-change-feed.js';
import { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import { ChangeNotificationInbox } from '@application/ports/change-notification.inbox.js';
import { ClientStates } from '@application/ports/client-states.js';
import { WatchCalendar } from '@application/notification/watch-calendar.use-case.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { FollowOutlookEvent } from '@application/notification/follow-outlook-event.js';
import { ResyncCalendar } from '@application/notification/resync-calendar.use-case.js';
import { ProcessCalendarNotifications } from '@application/notification/process-calendar-notifications.use-case.js';
import { RenewCalendarSubscriptions } from '@application/notification/renew-calendar-subscriptions.use-case.js';
import { ReceiveCalendarNotifications } from '@application/notification/receive-calendar-notifications.use-case.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { FollowRoomAnswer } from '@application/booking/follow-room-answer.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { GraphNotificationsController } from '../http/controllers/graph-notifications.controller.js';
import { ChangeNotificationJobs, ChangeNotificationJobsOptions } from '../jobs/change-notification-jobs.js';
import { BookingModule } from './booking.module.js';
import { AvailabilityModule } from './availability.module.js';
import { construct } from './provide.js';

const providers = [
  construct(ReceiveCalendarNotifications, [ChangeNotificationInbox, Clock]),
  construct(FollowRoomAnswer, [
    BookingRepository,
    EventTypeRepository,
    RoomCalendars,
    BookingCommitter,
    Clock,
    UnitOfWork,
  ]),
  construct(FollowOutlookEvent, [
    BookingRepository,
    CalendarWriter,
    BookingCommitter,
    Clock,
    UnitOfWork,
    FollowRoomAnswer,
  ]),
  construct(ResyncCalendar, [
    CalendarSubscriptionRepository,
    CalendarChangeFeed,
    CalendarVersions,
    FollowOutlookEvent,
    Clock,
  ]),
  construct(ProcessCalendarNotifications, [
    ChangeNotificationInbox,
    CalendarSubscriptionRepository,
    ClientStates,
    CalendarVersions,
    FollowOutlookEvent,
    WatchCalendar,
    ResyncCalendar,
    CalendarChangeFeed,
    Clock,
    OperationalLog,
    RecordMicrosoftFailure,
  ]),
  construct(RenewCalendarSubscriptions, [
    CalendarSubscriptionRepository,
    CalendarChangeFeed,
    WatchCalendar,
    ResyncCalendar,
    Clock,
    OperationalLog,
    RecordMicrosoftFailure,
  ]),
  construct(ChangeNotificationJobsOptions, []),
  construct(ChangeNotificationJobs, [
    ProcessCalendarNotifications,
    RenewCalendarSubscriptions,
    ChangeNotificationJobsOptions,
    SchedulerRegistry,
    WorkspaceReadCache,
  ]),
];

@Module({
  imports: [BookingModule, AvailabilityModule],
  controllers: [GraphNotificationsController],
  providers,
  exports: [ChangeNotificationJobs, ChangeNotificationJobsOptions, ProcessCalendarNotifications],
})
export class ChangeNotificationsModule {}
