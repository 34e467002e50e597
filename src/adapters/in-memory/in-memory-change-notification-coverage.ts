// Which members a live subscription covers, read from the in-memory subscriptions.
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import type { InMemoryCalendarSubscriptionRepository } from './in-memory-calendar-subscription.repository.js';

export class InMemoryChangeNotificationCoverage extends ChangeNotificationCoverage {
  constructor(private readonly subscriptions: InMemoryCalendarSubscriptionRepository) {
    super();
  }

  async liveMembers(workspaceId: string, memberIds: string[], now: Date): Promise<Set<string>> {
    return new Set(
      memberIds.filter((id) => {
        const r = this.subscriptions.rows.get(id);
        return r?.workspaceId === workspaceId && r.status === 'active' && r.expiresAt! > now;
      }),
    );
  }
}
