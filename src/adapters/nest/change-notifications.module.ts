// Graph change notifications, the inbound half: the endpoints Graph calls, the inbox in PostgreSQL, the
// worker that lets free/busy and bookings follow Outlook, and the renewal job. The subscriptions themselves
// are made on connect by MicrosoftModule's WatchCalendar. Tests set `enabled = false` on
// ChangeNotificationJobsOptions before `app.init()` and call the jobs' *Once methods.
import { Module, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '@application/ports/clock.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { CalendarVersions } from '@application/ports/free-busy.gateway.js';
import { CalendarChangeFeed } from '@application/ports/calendar-change-feed.js';
import { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import { ChangeNotificationInbox, ClientStates } from '@application/ports/change-notification.inbox.js';
import { WatchCalendar } from '@application/notification/watch-calendar.use-case.js';
import { FollowOutlookEvent } from '@application/notification/follow-outlook-event.js';
import { ResyncCalendar } from '@application/notification/resync-calendar.use-case.js';
import { ProcessCalendarNotifications } from '@application/notification/process-calendar-notifications.use-case.js';
import { RenewCalendarSubscriptions } from '@application/notification/renew-calendar-subscriptions.use-case.js';
import { ReceiveCalendarNotifications } from '@application/notification/receive-calendar-notifications.use-case.js';
import { BookingCommitter } from '@application/booking/booking-committer.js';
import { MikroOrmChangeNotificationInbox } from '../persistence/mikro-orm-calendar-subscriptions.js';
import { GraphNotificationsController } from '../http/controllers/graph-notifications.controller.js';
import { ChangeNotificationJobs, ChangeNotificationJobsOptions } from '../jobs/change-notification-jobs.js';
import { BookingModule } from './booking.module.js';

function factory<T>(
  provide: abstract new (...args: never[]) => T,
  inject: unknown[],
  make: (...deps: never[]) => T,
) {
  return { provide, useFactory: make, inject } as Provider;
}

const providers: Provider[] = [
  factory(
    ChangeNotificationInbox,
    [EntityManager],
    (em: EntityManager) => new MikroOrmChangeNotificationInbox(em),
  ),
  factory(
    ReceiveCalendarNotifications,
    [ChangeNotificationInbox, Clock],
    (i: ChangeNotificationInbox, c: Clock) => new ReceiveCalendarNotifications(i, c),
  ),
  factory(
    FollowOutlookEvent,
    [BookingRepository, CalendarWriter, BookingCommitter, Clock, UnitOfWork],
    (b: BookingRepository, w: CalendarWriter, m: BookingCommitter, c: Clock, u: UnitOfWork) =>
      new FollowOutlookEvent(b, w, m, c, u),
  ),
  factory(
    ResyncCalendar,
    [CalendarSubscriptionRepository, CalendarChangeFeed, CalendarVersions, FollowOutlookEvent, Clock],
    (
      s: CalendarSubscriptionRepository,
      f: CalendarChangeFeed,
      v: CalendarVersions,
      o: FollowOutlookEvent,
      c: Clock,
    ) => new ResyncCalendar(s, f, v, o, c),
  ),
  factory(
    ProcessCalendarNotifications,
    [
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
    ],
    (
      i: ChangeNotificationInbox,
      s: CalendarSubscriptionRepository,
      k: ClientStates,
      v: CalendarVersions,
      o: FollowOutlookEvent,
      w: WatchCalendar,
      r: ResyncCalendar,
      f: CalendarChangeFeed,
      c: Clock,
      l: OperationalLog,
    ) => new ProcessCalendarNotifications(i, s, k, v, o, w, r, f, c, l),
  ),
  factory(
    RenewCalendarSubscriptions,
    [
      CalendarSubscriptionRepository,
      CalendarChangeFeed,
      WatchCalendar,
      ResyncCalendar,
      Clock,
      OperationalLog,
    ],
    (
      s: CalendarSubscriptionRepository,
      f: CalendarChangeFeed,
      w: WatchCalendar,
      r: ResyncCalendar,
      c: Clock,
      l: OperationalLog,
    ) => new RenewCalendarSubscriptions(s, f, w, r, c, l),
  ),
  { provide: ChangeNotificationJobsOptions, useFactory: () => new ChangeNotificationJobsOptions() },
  factory(
    ChangeNotificationJobs,
    [
      ProcessCalendarNotifications,
      RenewCalendarSubscriptions,
      ChangeNotificationJobsOptions,
      SchedulerRegistry,
    ],
    (
      p: ProcessCalendarNotifications,
      r: RenewCalendarSubscriptions,
      o: ChangeNotificationJobsOptions,
      g: SchedulerRegistry,
    ) => new ChangeNotificationJobs(p, r, o, g),
  ),
];

@Module({
  imports: [BookingModule],
  controllers: [GraphNotificationsController],
  providers,
  exports: [ChangeNotificationJobs, ChangeNotificationJobsOptions, ProcessCalendarNotifications],
})
export class ChangeNotificationsModule {}
