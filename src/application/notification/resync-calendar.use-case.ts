// After a gap (missed notifications, a subscription lost and made again), reads what changed with the
// delta query and handles each changed event as if notified; the delta link is kept for the next time (or,
// when a long round runs out of pages, the link to its next page: the next resync carries on from there).
import { Clock } from '../ports/clock.js';
import { CalendarChangeFeed, DeltaExpired } from '../ports/calendar-change-feed.js';
import { CalendarSubscriptionRepository } from '../ports/calendar-subscription.repository.js';
import { CalendarVersions } from '../ports/calendar-versions.js';
import { FollowOutlookEvent } from './follow-outlook-event.js';

const DAY = 24 * 3600_000;
/** The window bookings live in: a day back (one may still be going on) and 90 days ahead. */
export const RESYNC_WINDOW = { backMs: DAY, aheadMs: 90 * DAY };
export const RESYNC_MAX_PAGES = 1000;

export class ResyncCalendar {
  constructor(
    private readonly subscriptions: CalendarSubscriptionRepository,
    private readonly feed: CalendarChangeFeed,
    private readonly versions: CalendarVersions,
    private readonly follow: FollowOutlookEvent,
    private readonly clock: Clock,
    private readonly maxPages = RESYNC_MAX_PAGES,
  ) {}

  /** Returns how many changed events were looked at. */
  async execute(workspaceId: string, memberId: string): Promise<number> {
    const stored = await this.subscriptions.findByMember(workspaceId, memberId);
    const fromScratch = () => {
      const now = this.clock.now().getTime();
      return { start: new Date(now - RESYNC_WINDOW.backMs), end: new Date(now + RESYNC_WINDOW.aheadMs) };
    };
    let from: { link: string } | { start: Date; end: Date } = stored?.deltaLink
      ? { link: stored.deltaLink }
      : fromScratch();
    let restarted = !stored?.deltaLink;
    const changed = new Set<string>();
    let deltaLink: string | null = null;
    for (let pages = 0; pages < this.maxPages; pages++) {
      let page;
      try {
        page = await this.feed.delta(workspaceId, memberId, from);
      } catch (error) {
        if (!(error instanceof DeltaExpired) || restarted) throw error;
        restarted = true;
        from = fromScratch();
        continue;
      }
      for (const id of page.eventIds) changed.add(id);
      if (page.nextLink) {
        from = { link: page.nextLink };
        // Pages may run out before the round ends: where to carry on next time.
        deltaLink = page.nextLink;
        continue;
      }
      deltaLink = page.deltaLink;
      break;
    }
    await this.versions.bump(workspaceId, memberId);
    await this.follow.executeAll(
      workspaceId,
      memberId,
      [...changed].map((eventId) => ({ eventId })),
    );
    // Never forget a link for nothing: a round that gave neither keeps the one it started from.
    const keep = restarted ? null : (stored?.deltaLink ?? null);
    await this.subscriptions.saveDeltaLink(workspaceId, memberId, deltaLink ?? keep);
    return changed.size;
  }
}
