// The public side's own use cases: a booking page is visible only while enabled and shows display names;
// a manage link opens its own booking only, until that booking is both cancelled and over.
import { randomUUID } from 'node:crypto';
import { Booking } from '@domain/booking/booking.js';
import { EventType } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { GetBookingPage } from '@application/booking-page/get-booking-page.use-case.js';
import { OpenManageLink } from '@application/booking-page/open-manage-link.use-case.js';
import { PublicBookingViews } from '@application/booking-page/public-booking-view.js';
import { InMemoryEventTypeRepository } from '@adapters/in-memory/in-memory-event-type.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { UrlPublicLinks } from '@adapters/web/url-public-links.js';
import { aMember, aWorkspace } from '../../builders/member.builder.js';
import { TEST_LINKS_URL, testBookingResources, testManageTokens } from '../../support/booking-links.js';

const now = new Date('2026-12-01T08:00:00Z');

async function world() {
  const workspaces = new InMemoryWorkspaceRepository();
  const members = new InMemoryMemberRepository();
  const eventTypes = new InMemoryEventTypeRepository();
  const bookings = new InMemoryBookingRepository();
  const clock = new FixedClock(now);
  const tokens = testManageTokens();
  const workspace = aWorkspace({ name: 'Contoso' });
  await workspaces.add(workspace);
  const host = aMember({ workspaceId: workspace.id, displayName: 'Adele Vance', email: 'adele@contoso.com' });
  await members.add(host);
  const eventType = (enabled: boolean) =>
    EventType.create({
      id: randomUUID(),
      workspaceId: workspace.id,
      slug: `intro-${randomUUID().slice(0, 8)}`,
      title: 'Intro call',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [host.id],
      assignment: 'single',
      bookingPage: { enabled },
      now,
    });
  const book = async (start: string) => {
    const id = randomUUID();
    const issued = tokens.issue(id);
    const booking = Booking.confirm({
      id,
      workspaceId: workspace.id,
      eventTypeId: randomUUID(),
      hostId: host.id,
      start: new Date(start),
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      guest: { name: 'Jordan', email: 'jordan@example.com', timeZone: 'Europe/Paris' },
      note: null,
      title: 'Intro call',
      location: { kind: 'teams', value: null },
      transactionId: randomUUID(),
      manageToken: { hash: issued.hash, sealed: issued.sealed },
      now,
    });
    await bookings.add(booking);
    return { booking, token: issued.token };
  };
  return {
    clock,
    host,
    eventTypes,
    bookings,
    eventType,
    book,
    page: new GetBookingPage(eventTypes, members, workspaces),
    open: new OpenManageLink(bookings, tokens, clock),
    views: new PublicBookingViews(members, testBookingResources(tokens), new UrlPublicLinks(TEST_LINKS_URL)),
  };
}

const notFound = (promise: Promise<unknown>) =>
  expect(promise).rejects.toMatchObject({ code: 'NOT_FOUND' } satisfies Partial<DomainError>);

describe('GetBookingPage', () => {
  it('shows an enabled event type with its hosts’ display names and the workspace name', async () => {
    const w = await world();
    const on = w.eventType(true);
    await w.eventTypes.add(on);
    const page = await w.page.execute({ eventTypeId: on.id });
    expect(page.hostNames).toEqual(['Adele Vance']);
    expect(page.workspaceName).toBe('Contoso');
    expect(page.eventType.id).toBe(on.id);
  });

  it('knows nothing of an event type whose page is off, or that does not exist', async () => {
    const w = await world();
    const off = w.eventType(false);
    await w.eventTypes.add(off);
    await notFound(w.page.execute({ eventTypeId: off.id }));
    await notFound(w.page.execute({ eventTypeId: randomUUID() }));
    off.change({ bookingPage: { enabled: true } }, now);
    await w.eventTypes.save(off);
    await expect(w.page.execute({ eventTypeId: off.id })).resolves.toBeDefined();
  });
});

describe('OpenManageLink', () => {
  it('opens the booking of its token, and no other', async () => {
    const w = await world();
    const a = await w.book('2026-12-03T09:00:00Z');
    const b = await w.book('2026-12-03T10:00:00Z');
    expect((await w.open.execute({ token: a.token })).id).toBe(a.booking.id);
    expect((await w.open.execute({ token: b.token })).id).toBe(b.booking.id);
    const changed = a.token.slice(0, 10) + (a.token[10] === 'x' ? 'y' : 'x') + a.token.slice(11);
    await notFound(w.open.execute({ token: changed }));
    await notFound(w.open.execute({ token: a.booking.id }));
    await notFound(w.open.execute({ token: '' }));
  });

  it('keeps a cancelled booking reachable until it is over, then says not found', async () => {
    const w = await world();
    const { booking, token } = await w.book('2026-12-03T09:00:00Z');
    booking.cancel({ by: 'guest', reason: null, now });
    await w.bookings.save(booking);
    expect((await w.open.execute({ token })).status).toBe('cancelled');
    w.clock.set('2026-12-03T09:30:00Z');
    await notFound(w.open.execute({ token }));
  });

  it('keeps a confirmed booking reachable after it is over', async () => {
    const w = await world();
    const { token } = await w.book('2026-12-03T09:00:00Z');
    w.clock.set('2026-12-10T00:00:00Z');
    await expect(w.open.execute({ token })).resolves.toBeDefined();
  });
});

describe('PublicBookingViews', () => {
  it('shows the host by name, warnings as sentences, and the guest’s links', async () => {
    const w = await world();
    const { booking, token } = await w.book('2026-12-03T09:00:00Z');
    booking.calendarWritten({ eventId: 'e1', joinUrl: null, start: booking.start, end: booking.end, now });
    const view = await w.views.of(booking);
    expect(view).toMatchObject({
      hostNames: ['Adele Vance'],
      start: '2026-12-03T09:00:00Z',
      location: { kind: 'teams', joinUrl: null },
      warnings: [{ code: 'TEAMS_LICENCE_MISSING', message: expect.stringMatching(/\.$/) }],
      manageUrl: `${TEST_LINKS_URL}/manage/${token}`,
      icsUrl: `${TEST_LINKS_URL}/v1/public/manage/${token}/booking.ics`,
    });
    expect(JSON.stringify(view)).not.toContain('adele@contoso.com');
  });
});
