// What the notification endpoints do inside the request: persist, nothing else (Graph wants a 2xx within
// 3 s; every Graph call and booking change happens in the worker).
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { Clock } from '../ports/clock.js';
import { ChangeNotificationInbox } from '../ports/change-notification.inbox.js';

export class ReceiveCalendarNotifications {
  constructor(
    private readonly inbox: ChangeNotificationInbox,
    private readonly clock: Clock,
  ) {}

  execute(items: ReceivedNotification[]): Promise<number> {
    if (items.length === 0) return Promise.resolve(0);
    return this.inbox.accept(items, this.clock.now());
  }
}
