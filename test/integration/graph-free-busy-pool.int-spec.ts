// Pool reads on the real Graph free/busy adapter (GraphClients, graph-client's middleware) against the
// emulator over HTTPS: the FreeBusyGateway contract, then what only Graph shows — one host's delegated token
// reading 20 mailboxes of the tenant per getSchedule call, each address once, and the fallbacks.
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import type { RequestLogEntry } from '../../emulator/state.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import type { HostScheduleRequest } from '@application/ports/free-busy.gateway.js';
import { GraphClients } from '@adapters/microsoft/graph/graph-clients.js';
import { GraphFreeBusyGateway } from '@adapters/microsoft/graph/graph-free-busy.gateway.js';
import { connect, emulatorSettings, msalFor, REDIRECT } from '../emulator/helpers.js';
import {
  CONTRACT_FROM as FROM,
  freeBusyGatewayContract,
  type FreeBusyWorld,
} from '../contract/free-busy-gateway.contract.js';

const DAY = 24 * 3600_000;
const PATH = '/v1.0/me/calendar/getSchedule';

let emu: Emulator;
let otherTenant: string;
/** Each member's access token, as the token provider would hand it out (kept, never refreshed here). */
const tokens = new Map<string, string>();
/** Emulator user ids by member. */
const users = new Map<string, string>();
/** Members whose token was asked for, in order. */
const asked: string[] = [];

class KeptTokens extends MicrosoftTokenProvider {
  async accessToken(_workspaceId: string, memberId: string): Promise<string> {
    asked.push(memberId);
    const token = tokens.get(memberId);
    if (!token) throw new Error(`no token for ${memberId}`);
    return token;
  }
}

function gateway(schedulesPerCall?: number) {
  const clients = new GraphClients(emulatorSettings(emu), new KeptTokens(), {
    maxRetries: 1,
    delaySeconds: 0,
  });
  return new GraphFreeBusyGateway(clients, { schedulesPerCall });
}

async function mailbox(
  tenantId: string,
  busy: [number, number][],
  kind: 'user' | 'room' = 'user',
): Promise<{ id: string; mail: string }> {
  const mail = `${kind}-${randomUUID().slice(0, 8)}@contoso.com`;
  const user = emu.control.addUser({ tenantId, mail, displayName: mail, kind });
  for (const [start, end] of busy) {
    await emu.control.addEvent({
      userId: user.id,
      subject: 'taken',
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      notify: false,
    });
  }
  return { id: user.id, mail };
}

/** A connected host: a mailbox of the tenant signed in through the emulator. */
async function host(
  workspaceId: string,
  busy: [number, number][] = [],
  tenantId: string = DEMO.tenantId,
): Promise<HostScheduleRequest> {
  const { id, mail } = await mailbox(tenantId, busy);
  const memberId = randomUUID();
  const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), mail);
  tokens.set(memberId, accessToken);
  users.set(memberId, id);
  return { workspaceId, memberId, mailbox: mail, extraCalendars: [], start: FROM, end: FROM + 7 * DAY };
}

const calls = (): RequestLogEntry[] => emu.control.requests({ pathPrefix: PATH, method: 'POST' });
const schedulesOf = (entry: RequestLogEntry) => (entry.body as { schedules: string[] }).schedules;

beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: [REDIRECT], from: new Date(FROM), weeks: 1 } });
  otherTenant = emu.control.addTenant({ name: 'Fabrikam', domain: 'fabrikam.example' }).id;
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearFaults();
  emu.control.clearRequests();
  // Graph's documented limit: more than 20 schedules in one call is refused.
  emu.control.setLimits({ maxSchedulesPerRequest: 20 });
});

freeBusyGatewayContract('Graph adapter against the emulator', async () => {
  const workspaceId = randomUUID();
  const world: FreeBusyWorld = {
    gateway: gateway(),
    host: (busy) => host(workspaceId, busy),
    room: async (busy = []) => (await mailbox(DEMO.tenantId, busy, 'room')).mail,
    unknownMailbox: async () => `nobody-${randomUUID().slice(0, 8)}@contoso.com`,
    // Another tenant's account: the demo tenant's tokens get an error for its schedule, its own reads it.
    stranger: (busy) => host(workspaceId, busy, otherTenant),
    revoke: async (request) => emu.control.revokeSessions(users.get(request.memberId)!),
    outage: async () =>
      void emu.control.injectFault({
        match: { method: 'POST', pathPrefix: PATH },
        status: 503,
        retryAfter: 0,
        times: Infinity,
      }),
  };
  return world;
});

describe('GraphFreeBusyGateway pool reads against the emulator', () => {
  it('reads 45 hosts of one tenant in 3 getSchedule calls, 20 mailboxes each, with a host of each batch', async () => {
    const workspaceId = randomUUID();
    const hosts: HostScheduleRequest[] = [];
    for (let i = 0; i < 45; i++)
      hosts.push(await host(workspaceId, [[FROM + DAY + i * 60_000, FROM + DAY + (i + 1) * 60_000]]));
    asked.length = 0;
    const answers = await gateway().poolSchedules(hosts);
    expect(answers.map((a) => (a.ok ? a.items.length : a.code))).toEqual(Array(45).fill(1));
    expect(calls().map((c) => [c.status, schedulesOf(c).length])).toEqual(
      expect.arrayContaining([
        [200, 20],
        [200, 20],
        [200, 5],
      ]),
    );
    expect(calls()).toHaveLength(3);
    // Each batch read with the token of its first host, whose mailbox is in it.
    expect(new Set(calls().map((c) => c.userId))).toEqual(
      new Set([0, 20, 40].map((i) => users.get(hosts[i]!.memberId))),
    );
    expect(new Set(asked)).toEqual(new Set([0, 20, 40].map((i) => hosts[i]!.memberId)));
  });

  it('reads a room shared by the hosts once, and each host gets its items', async () => {
    const workspaceId = randomUUID();
    const room = await mailbox(DEMO.tenantId, [[FROM + DAY, FROM + DAY + 3600_000]], 'room');
    const hosts = [await host(workspaceId), await host(workspaceId), await host(workspaceId)].map((h) => ({
      ...h,
      extraCalendars: [room.mail.toUpperCase()],
    }));
    const answers = await gateway().poolSchedules(hosts);
    const [adele, bob, cleo] = hosts.map((h) => h.mailbox);
    expect(calls().map(schedulesOf)).toEqual([[adele, room.mail.toUpperCase(), bob, cleo]]);
    for (const answer of answers)
      expect(answer.ok && answer.items.map((i) => [i.calendar, i.start])).toEqual([
        [room.mail.toUpperCase(), FROM + DAY],
      ]);
  });

  it('falls back to a host’s own token only for the schedule that came back with an error', async () => {
    const workspaceId = randomUUID();
    const adele = await host(workspaceId);
    const bob = await host(workspaceId);
    const stranger = await host(workspaceId, [[FROM + DAY, FROM + DAY + 3600_000]], otherTenant);
    const answers = await gateway().poolSchedules([adele, bob, stranger]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(calls().map((c) => [c.userId, schedulesOf(c)])).toEqual([
      [users.get(adele.memberId), [adele.mailbox, bob.mailbox, stranger.mailbox]],
      [users.get(stranger.memberId), [stranger.mailbox]],
    ]);
  });

  it('a refused borrower hands the batch to the next host, and answers its own refusal', async () => {
    const workspaceId = randomUUID();
    const hosts = [await host(workspaceId), await host(workspaceId), await host(workspaceId)];
    emu.control.revokeSessions(users.get(hosts[0]!.memberId)!);
    const answers = await gateway().poolSchedules(hosts);
    expect(answers.map((a) => (a.ok ? 'ok' : a.code))).toEqual(['CONSENT_REVOKED', 'ok', 'ok']);
    // 401, the forced refresh's 401, then the next host's token reads all three.
    expect(calls().map((c) => [c.status, c.userId])).toEqual([
      [401, users.get(hosts[0]!.memberId)],
      [401, users.get(hosts[0]!.memberId)],
      [200, users.get(hosts[1]!.memberId)],
    ]);
  });

  it('reads the hosts of two workspaces apart, each with a token of its own', async () => {
    const one = [await host(randomUUID()), await host(randomUUID())];
    const two = [await host(one[0]!.workspaceId), await host(one[1]!.workspaceId)];
    const answers = await gateway().poolSchedules([one[0]!, one[1]!, two[0]!, two[1]!]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(calls().map(schedulesOf).sort()).toEqual(
      [
        [one[0]!.mailbox, two[0]!.mailbox],
        [one[1]!.mailbox, two[1]!.mailbox],
      ].sort(),
    );
  });

  it('splits the union of the windows under 62 days, one call per part', async () => {
    const workspaceId = randomUUID();
    const adele = { ...(await host(workspaceId)), end: FROM + 40 * DAY };
    const bob = { ...(await host(workspaceId)), start: FROM + 30 * DAY, end: FROM + 90 * DAY };
    const answers = await gateway().poolSchedules([adele, bob]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(calls().map((c) => schedulesOf(c).length)).toEqual([2, 2]);
  });
});
