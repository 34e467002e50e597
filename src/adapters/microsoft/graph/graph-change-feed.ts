// Graph subscriptions on the member's own events (`me/events`, both URLs under PUBLIC_URL and validated by
// Graph at creation) and calendarView/delta, translated to the core's terms: 404 → SubscriptionGone,
// a refused create → SubscriptionRefused with Graph's reason, 410 syncStateNotFound → DeltaExpired.
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  CalendarChangeFeed,
  DeltaExpired,
  SubscriptionGone,
  SubscriptionRefused,
  type DeltaPage,
} from '@application/ports/calendar-change-feed.js';
import type { GraphClients } from './graph-clients.js';

export const NOTIFICATION_PATH = '/webhooks/microsoft/notifications';
export const LIFECYCLE_PATH = '/webhooks/microsoft/lifecycle';

interface GraphSubscription {
  id: string;
  expirationDateTime: string;
}

interface DeltaResponse {
  value?: { id?: string; '@removed'?: unknown }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const isGone = (error: unknown) => error instanceof GraphError && error.statusCode === 404;

export class GraphChangeFeed extends CalendarChangeFeed {
  constructor(
    private readonly graph: GraphClients,
    private readonly publicUrl: string,
    private readonly graphUrl: string,
  ) {
    super();
  }

  async subscribe(
    workspaceId: string,
    memberId: string,
    request: { clientState: string; expiresAt: Date },
  ): Promise<{ subscriptionId: string; expiresAt: Date }> {
    try {
      const created = await this.graph.forMember(workspaceId, memberId).request<GraphSubscription>({
        method: 'POST',
        path: '/subscriptions',
        body: {
          changeType: 'created,updated,deleted',
          resource: 'me/events',
          notificationUrl: this.publicUrl + NOTIFICATION_PATH,
          lifecycleNotificationUrl: this.publicUrl + LIFECYCLE_PATH,
          expirationDateTime: request.expiresAt.toISOString(),
          clientState: request.clientState,
          latestSupportedTlsVersion: 'v1_2',
        },
      });
      return { subscriptionId: created.id, expiresAt: new Date(created.expirationDateTime) };
    } catch (error) {
      if (error instanceof GraphError && error.statusCode >= 400 && error.statusCode < 500) {
        throw new SubscriptionRefused(
          `Microsoft Graph refused the subscription: ${error.statusCode} ${error.code ?? ''} ${error.message}`.trim(),
        );
      }
      throw error;
    }
  }

  async renew(workspaceId: string, memberId: string, subscriptionId: string, expiresAt: Date): Promise<Date> {
    try {
      const renewed = await this.graph.forMember(workspaceId, memberId).request<GraphSubscription>({
        method: 'PATCH',
        path: `/subscriptions/${encodeURIComponent(subscriptionId)}`,
        body: { expirationDateTime: expiresAt.toISOString() },
      });
      return new Date(renewed.expirationDateTime);
    } catch (error) {
      if (isGone(error)) throw new SubscriptionGone();
      throw error;
    }
  }

  async reauthorize(workspaceId: string, memberId: string, subscriptionId: string): Promise<void> {
    try {
      await this.graph.forMember(workspaceId, memberId).request({
        method: 'POST',
        path: `/subscriptions/${encodeURIComponent(subscriptionId)}/reauthorize`,
      });
    } catch (error) {
      if (isGone(error)) throw new SubscriptionGone();
      throw error;
    }
  }

  async unsubscribe(workspaceId: string, memberId: string, subscriptionId: string): Promise<void> {
    try {
      await this.graph.forMember(workspaceId, memberId).request({
        method: 'DELETE',
        path: `/subscriptions/${encodeURIComponent(subscriptionId)}`,
      });
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
  }

  async delta(
    workspaceId: string,
    memberId: string,
    from: { link: string } | { start: Date; end: Date },
  ): Promise<DeltaPage> {
    const path =
      'link' in from
        ? this.relative(from.link)
        : `/me/calendarView/delta?startDateTime=${encodeURIComponent(from.start.toISOString())}&endDateTime=${encodeURIComponent(from.end.toISOString())}`;
    try {
      const page = await this.graph.forMember(workspaceId, memberId).request<DeltaResponse>({
        method: 'GET',
        path,
        headers: { Prefer: 'odata.maxpagesize=100' },
      });
      return {
        eventIds: (page.value ?? []).map((item) => item.id).filter((id): id is string => Boolean(id)),
        nextLink: page['@odata.nextLink'] ?? null,
        deltaLink: page['@odata.deltaLink'] ?? null,
      };
    } catch (error) {
      if (
        error instanceof GraphError &&
        (error.statusCode === 410 || error.code === 'syncStateNotFound' || error.code === 'resyncRequired')
      )
        throw new DeltaExpired();
      throw error;
    }
  }

  /** Graph's links are absolute; the client wants a path under its base (…/v1.0). */
  private relative(link: string): string {
    const base = `${this.graphUrl.replace(/\/$/, '')}/v1.0`;
    if (link.startsWith(base)) return link.slice(base.length);
    const url = new URL(link);
    return url.pathname.replace(/^\/v1\.0/, '') + url.search;
  }
}
