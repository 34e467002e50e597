// The free/busy cache judged by the calendar state its caller read with the rest of the host's data: no
// query of its own, an entry kept while the version is the same, dropped when it moved, and past the short
// TTL kept only while a live subscription covers the calendar.
import { CachedFreeBusyGateway } from '@adapters/cache/cached-free-busy.gateway.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import type { HostScheduleRequest } from '@application/ports/free-busy.gateway.js';

class CountingVersions extends InMemoryCalendarVersions {
  reads = 0;
  override async current(workspaceId: string, memberIds: string[]) {
    this.reads++;
    return super.current(workspaceId, memberIds);
  }
}

class CountingCoverage extends ChangeNotificationCoverage {
  reads = 0;
  async liveMembers(): Promise<Set<string>> {
    this.reads++;
    return new Set();
  }
}

function setUp() {
  const inner = new FakeFreeBusyGateway().add('adele@contoso.com', {
    start: '2026-12-02T09:00:00Z',
    end: '2026-12-02T10:00:00Z',
    status: 'busy',
  });
  const versions = new CountingVersions();
  const coverage = new CountingCoverage();
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const cache = new CachedFreeBusyGateway(inner, versions, clock, { coverage, shortTtlMs: 30_000 });
  const request = (calendarState?: HostScheduleRequest['calendarState']): HostScheduleRequest => ({
    workspaceId: 'ws',
    memberId: 'adele',
    mailbox: 'adele@contoso.com',
    extraCalendars: [],
    start: Date.parse('2026-12-02T00:00:00Z'),
    end: Date.parse('2026-12-03T00:00:00Z'),
    calendarState,
  });
  return { inner, versions, coverage, clock, cache, request };
}

describe('the free/busy cache with the caller’s calendar state', () => {
  it('asks nothing of the database, and reads Microsoft again only when the version moved', async () => {
    const t = setUp();
    const first = await t.cache.hostSchedule(t.request({ version: 3, subscriptionLive: true }));
    expect(first).toMatchObject({ ok: true, items: [{ status: 'busy' }] });
    await t.cache.hostSchedule(t.request({ version: 3, subscriptionLive: true }));
    expect(t.inner.requests).toHaveLength(1);
    await t.cache.hostSchedule(t.request({ version: 4, subscriptionLive: true }));
    expect(t.inner.requests).toHaveLength(2);
    expect(t.versions.reads).toBe(0);
  });

  it('keeps an entry past the short TTL only while a live subscription covers the calendar', async () => {
    const t = setUp();
    await t.cache.hostSchedule(t.request({ version: 0, subscriptionLive: true }));
    t.clock.advance(60_000);
    await t.cache.hostSchedule(t.request({ version: 0, subscriptionLive: true }));
    expect(t.inner.requests).toHaveLength(1);
    await t.cache.hostSchedule(t.request({ version: 0, subscriptionLive: false }));
    expect(t.inner.requests).toHaveLength(2);
    expect(t.coverage.reads).toBe(0);
  });

  it('asks the versions and the coverage itself when the caller brings no state', async () => {
    const t = setUp();
    await t.cache.hostSchedule(t.request());
    await t.versions.bump('ws', 'adele');
    await t.cache.hostSchedule(t.request());
    expect(t.inner.requests).toHaveLength(2);
    t.clock.advance(60_000);
    await t.cache.hostSchedule(t.request());
    expect(t.coverage.reads).toBe(1);
    expect(t.inner.requests).toHaveLength(3);
    expect(t.versions.reads).toBe(3);
  });
});

describe('when the cache says Microsoft was read', () => {
  it('answers a miss with the time of its read, and a hit with that same time, not the time served', async () => {
    const t = setUp();
    const state = { version: 0, subscriptionLive: true };
    expect(await t.cache.hostSchedule(t.request(state))).toMatchObject({
      ok: true,
      readAt: Date.parse('2026-12-01T08:00:00Z'),
    });
    t.clock.advance(60_000);
    expect(await t.cache.hostSchedule(t.request(state))).toMatchObject({
      ok: true,
      readAt: Date.parse('2026-12-01T08:00:00Z'),
    });
    expect(t.inner.requests).toHaveLength(1);
    // The version moved: read again, and that read's time from now on.
    const moved = await t.cache.hostSchedule(t.request({ version: 1, subscriptionLive: true }));
    expect(moved).toMatchObject({ ok: true, readAt: Date.parse('2026-12-01T08:01:00Z') });
  });
});

describe('the free/busy cache and room reads', () => {
  it('keeps a room read apart from the reader’s own, per set of rooms, for the short TTL, with no version read', async () => {
    const t = setUp();
    t.inner.add('room-1@contoso.com', {
      start: '2026-12-02T09:00:00Z',
      end: '2026-12-02T10:00:00Z',
      status: 'busy',
    });
    const rooms = (memberId: string): HostScheduleRequest => ({
      ...t.request(),
      memberId,
      mailbox: 'room-1@contoso.com',
      extraCalendars: ['room-2@contoso.com'],
      rooms: true,
    });
    await t.cache.hostSchedule(t.request({ version: 1, subscriptionLive: true }));
    const read = await t.cache.hostSchedule(rooms('adele'));
    expect(read).toMatchObject({ ok: true, items: [{ calendar: 'room-1@contoso.com' }] });
    // Another host's token finds the same rooms cached, and the reader's own entry is still there.
    await t.cache.hostSchedule(rooms('bruno'));
    await t.cache.hostSchedule(t.request({ version: 1, subscriptionLive: true }));
    expect(t.inner.requests).toHaveLength(2);
    expect(t.versions.reads).toBe(0);
    t.clock.advance(30_000);
    await t.cache.hostSchedule(rooms('adele'));
    expect(t.inner.requests).toHaveLength(3);
  });
});
