// The free/busy contract on the in-memory fake, alone and behind the free/busy cache (which answers cached
// hosts itself and reads only the misses, in one pool read).
import { randomUUID } from 'node:crypto';
import { CachedFreeBusyGateway } from '@adapters/cache/cached-free-busy.gateway.js';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryCalendarVersions } from '@adapters/in-memory/in-memory-calendar-versions.js';
import type { FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import { CONTRACT_FROM, freeBusyGatewayContract, type FreeBusyWorld } from './free-busy-gateway.contract.js';

const WEEK = 7 * 24 * 3600_000;

function world(fake: FakeFreeBusyGateway, gateway: FreeBusyGateway): FreeBusyWorld {
  const workspaceId = randomUUID();
  const mailbox = (busy: [number, number][] = [], prefix = 'm') => {
    const address = `${prefix}-${randomUUID().slice(0, 8)}@contoso.com`;
    for (const [start, end] of busy) fake.add(address, { start, end, status: 'busy' });
    return address;
  };
  const host = async (busy: [number, number][] = []) => ({
    workspaceId,
    memberId: randomUUID(),
    mailbox: mailbox(busy),
    extraCalendars: [],
    start: CONTRACT_FROM,
    end: CONTRACT_FROM + WEEK,
  });
  return {
    gateway,
    host,
    room: async (busy = []) => mailbox(busy, 'room'),
    unknownMailbox: async () => {
      const address = mailbox([], 'nobody');
      fake.fail(address, 'MICROSOFT_UNAVAILABLE', "The specified emailaddress doesn't match any user.");
      return address;
    },
    stranger: host,
    revoke: async (request) => void fake.refuse(request.memberId),
    outage: async (requests) => {
      for (const r of requests) fake.fail(r.mailbox, 'MICROSOFT_UNAVAILABLE');
    },
  };
}

freeBusyGatewayContract('in-memory fake', async () => {
  const fake = new FakeFreeBusyGateway();
  return world(fake, fake);
});

freeBusyGatewayContract('free/busy cache in front of the fake', async () => {
  const fake = new FakeFreeBusyGateway();
  const cached = new CachedFreeBusyGateway(fake, new InMemoryCalendarVersions(), new FixedClock());
  return world(fake, cached);
});

describe('the free/busy cache in front of a pool read', () => {
  it('answers cached hosts itself and reads only the misses, together', async () => {
    const fake = new FakeFreeBusyGateway();
    const versions = new InMemoryCalendarVersions();
    const cached = new CachedFreeBusyGateway(fake, versions, new FixedClock());
    const w = world(fake, cached);
    const hosts = [await w.host(), await w.host(), await w.host()];
    await cached.poolSchedules(hosts.slice(0, 2));
    expect(fake.poolReads).toEqual([2]);
    await versions.bump(hosts[0]!.workspaceId, hosts[0]!.memberId);
    const answers = await cached.poolSchedules(hosts);
    expect(answers.every((a) => a.ok)).toBe(true);
    // Adele's version moved and Cleo was never read: one read of the two; Bob from the cache.
    expect(fake.poolReads).toEqual([2, 2]);
    expect(fake.requests.slice(2).map((r) => r.memberId)).toEqual([hosts[0]!.memberId, hosts[2]!.memberId]);
    await cached.poolSchedules(hosts.map((h) => ({ ...h, fresh: true })));
    expect(fake.poolReads).toEqual([2, 2, 3]);
  });
});
