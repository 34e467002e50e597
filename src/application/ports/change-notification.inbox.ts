// Notifications from Graph, persisted as they arrive (one insert, 202 at once) and processed by a worker.
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';

export interface InboxItem {
  id: string;
  attempts: number;
  notification: ReceivedNotification;
}

export abstract class ChangeNotificationInbox {
  /**
   * Stores the items of unknown subscriptions nowhere and each retried item once; returns how many were new.
   */
  abstract accept(items: ReceivedNotification[], now: Date): Promise<number>;
  /** Claims, once across instances for `leaseMs`, items due for processing, oldest first. */
  abstract claim(now: Date, leaseMs: number, limit: number): Promise<InboxItem[]>;
  abstract complete(ids: string[], now: Date): Promise<void>;
  abstract retryAt(ids: string[], at: Date, error: string): Promise<void>;
}
