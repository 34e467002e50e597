// What the sandbox start page shows of the demo workspace, read through the application's ports: its
// members with their Microsoft connection, its event types with their booking pages, its recent bookings.
import { Injectable } from '@nestjs/common';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { Clock } from '@application/ports/clock.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import { MAX_PAGE_LIMIT, type Page, type PageRequest } from '@application/shared/page.js';
import type { Booking } from '@domain/booking/booking.js';
import type { Assignment, EventType } from '@domain/event-type/event-type.js';
import type { MemberResource } from '@application/member/member-resource.js';

/** How many bookings the page lists, newest first. */
export const RECENT_BOOKINGS = 20;
/** Bookings whose time began more than this long ago are not "recent" (and are not read at all). */
const RECENT_MS = 7 * 86_400_000;
/** A sandbox holds a handful of rows: a bound on what one page view reads, not a limit anyone meets. */
const MAX_ROWS = 2_000;

export interface StartPageMember {
  id: string;
  displayName: string;
  email: string;
  role: string;
  status: string;
  connection: MemberResource['microsoft']['connection'];
  timeZone: string | null;
}

export interface StartPageEventType {
  id: string;
  title: string;
  slug: string;
  durationMinutes: number;
  assignment: Assignment;
  hostNames: string[];
  /** The names of its room pool's rooms, in order (empty: it books no room). */
  rooms: string[];
  bookingUrl: string | null;
}

export interface StartPageBooking {
  id: string;
  title: string;
  hostName: string;
  guestName: string;
  start: string;
  status: string;
  createdAt: string;
}

export interface SandboxOverviewView {
  workspaceName: string;
  members: StartPageMember[];
  eventTypes: StartPageEventType[];
  bookings: StartPageBooking[];
}

async function all<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ limit: MAX_PAGE_LIMIT, cursor });
    rows.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < MAX_ROWS);
  return rows;
}

@Injectable()
export class SandboxOverview {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly members: MemberRepository,
    private readonly connections: ConnectionViews,
    private readonly eventTypes: EventTypeRepository,
    private readonly bookings: BookingRepository,
    private readonly links: PublicLinks,
    private readonly clock: Clock,
  ) {}

  async read(workspaceId: string): Promise<SandboxOverviewView> {
    const workspace = await this.workspaces.findById(workspaceId);
    const members = await this.connections.members(
      workspaceId,
      await all((page) => this.members.list(workspaceId, page)),
    );
    const names = new Map(members.map((m) => [m.id, m.displayName]));
    const eventTypes = await all((page) => this.eventTypes.list(workspaceId, page));
    const since = new Date(this.clock.now().getTime() - RECENT_MS);
    const bookings = await all((page) => this.bookings.list(workspaceId, { start: since }, page));
    return {
      workspaceName: workspace?.name ?? 'Demo workspace',
      members: members.map((m) => ({
        id: m.id,
        displayName: m.displayName,
        email: m.email,
        role: m.role,
        status: m.status,
        connection: m.microsoft.connection,
        timeZone: m.microsoft.timeZone,
      })),
      eventTypes: eventTypes.map((e) => this.eventType(e, names)),
      bookings: bookings
        .map((b) => this.booking(b, names))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .slice(0, RECENT_BOOKINGS),
    };
  }

  private eventType(e: EventType, names: Map<string, string>): StartPageEventType {
    return {
      id: e.id,
      title: e.title,
      slug: e.slug,
      durationMinutes: e.durationMinutes,
      assignment: e.assignment,
      hostNames: e.hostIds.map((id) => names.get(id) ?? 'a former member'),
      rooms: (e.rooms?.rooms ?? []).map((r) => r.name),
      bookingUrl: e.bookingPageEnabled ? this.links.bookingPage(e.id) : null,
    };
  }

  private booking(b: Booking, names: Map<string, string>): StartPageBooking {
    const s = b.toSnapshot();
    return {
      id: s.id,
      title: s.title,
      hostName: names.get(s.hostId) ?? 'a former member',
      guestName: s.guest.name,
      start: s.start.toISOString(),
      status: s.status,
      createdAt: s.createdAt.toISOString(),
    };
  }
}
