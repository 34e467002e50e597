// The Graph free/busy adapter against the emulator over HTTPS, with the real GraphClients (graph-client's
// retry middleware, the per-mailbox limiter): batching, the 62-day split, Retry-After, 4 requests per
// mailbox at most, and a schedule Graph cannot read never taken for free time.
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import type { RequestLogEntry } from '../../emulator/state.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { GraphClients, type GraphRetryOptions } from '@adapters/microsoft/graph/graph-clients.js';
import {
  GraphFreeBusyGateway,
  splitWindow,
  type GraphFreeBusyOptions,
} from '@adapters/microsoft/graph/graph-free-busy.gateway.js';
import type { HostScheduleRequest } from '@application/ports/free-busy.gateway.js';
import { connect, emulatorSettings, msalFor, REDIRECT } from '../emulator/helpers.js';

const DAY = 24 * 3600_000;
const FROM = Date.parse('2026-12-01T00:00:00Z');
const PATH = '/v1.0/me/calendar/getSchedule';

let emu: Emulator;
let token: string;
const rooms: string[] = [];

class FixedTokens extends MicrosoftTokenProvider {
  async accessToken(): Promise<string> {
    return token;
  }
}

function gateway(options: GraphFreeBusyOptions = {}, retry: GraphRetryOptions = {}) {
  const clients = new GraphClients(emulatorSettings(emu), new FixedTokens(), retry);
  return new GraphFreeBusyGateway(clients, options);
}

const request = (over: Partial<HostScheduleRequest> = {}): HostScheduleRequest => ({
  workspaceId: 'w1',
  memberId: 'megan',
  mailbox: DEMO.users.megan.mail,
  extraCalendars: [],
  start: FROM,
  end: FROM + 14 * DAY,
  ...over,
});

const calls = (): RequestLogEntry[] => emu.control.requests({ pathPrefix: PATH, method: 'POST' });
const bodyOf = (entry: RequestLogEntry) =>
  entry.body as { schedules: string[]; startTime: { dateTime: string }; endTime: { dateTime: string } };
const utc = (dateTime: string) => Date.parse(`${dateTime}Z`);
const startedAt = (entry: RequestLogEntry) => Date.parse(entry.at) - entry.durationMs;

beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: [REDIRECT], from: new Date(FROM), weeks: 2 } });
  token = (await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), DEMO.users.megan.mail))
    .accessToken;
  for (let i = 0; i < 44; i++) {
    const room = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `room${i}@contoso.com`,
      displayName: `Room ${i}`,
      kind: 'room',
    });
    rooms.push(room.mail);
    await emu.control.addEvent({
      userId: room.id,
      subject: 'taken',
      start: new Date(FROM + DAY + i * 3600_000).toISOString(),
      end: new Date(FROM + DAY + (i + 1) * 3600_000).toISOString(),
      notify: false,
    });
  }
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearRequests();
  emu.control.clearFaults();
  emu.control.setLimits({ maxSchedulesPerRequest: 100, maxConcurrentRequestsPerMailbox: 0 });
});

describe('GraphFreeBusyGateway against the emulator', () => {
  it('asks for 20 schedules per getSchedule call by default, in UTC, and reads every calendar', async () => {
    // Graph's documented limit: more than 20 in one call is refused here.
    emu.control.setLimits({ maxSchedulesPerRequest: 20 });
    const result = await gateway().hostSchedule(request({ extraCalendars: rooms }));
    expect(result.ok).toBe(true);
    expect(calls().map((c) => [c.status, bodyOf(c).schedules.length])).toEqual([
      [200, 20],
      [200, 20],
      [200, 5],
    ]);
    expect(calls().flatMap((c) => bodyOf(c).schedules)).toEqual([DEMO.users.megan.mail, ...rooms]);
    const calendars = new Set(result.ok ? result.items.map((i) => i.calendar) : []);
    expect(calendars).toEqual(new Set([DEMO.users.megan.mail, ...rooms]));
    const room7 = result.ok ? result.items.filter((i) => i.calendar === rooms[7]) : [];
    expect(room7.map((i) => [i.start, i.end, i.status])).toEqual([
      [FROM + DAY + 7 * 3600_000, FROM + DAY + 8 * 3600_000, 'busy'],
    ]);
  });

  it('takes another batch size when configured', async () => {
    const result = await gateway({ schedulesPerCall: 7 }).hostSchedule(
      request({ extraCalendars: rooms.slice(0, 20) }),
    );
    expect(result.ok).toBe(true);
    expect(calls().map((c) => bodyOf(c).schedules.length)).toEqual([7, 7, 7]);
  });

  it('splits a window of 62 days or more into contiguous calls Graph accepts', async () => {
    const start = FROM;
    const end = FROM + 150 * DAY;
    const result = await gateway().hostSchedule(request({ start, end }));
    expect(result.ok).toBe(true);
    const windows = calls().map((c) => [utc(bodyOf(c).startTime.dateTime), utc(bodyOf(c).endTime.dateTime)]);
    expect(calls().every((c) => c.status === 200)).toBe(true);
    expect(windows).toEqual(splitWindow(start, end, 61));
    expect(windows).toHaveLength(3);
    expect(windows[0]![0]).toBe(start);
    expect(windows.at(-1)![1]).toBe(end);
    for (let i = 1; i < windows.length; i++) expect(windows[i]![0]).toBe(windows[i - 1]![1]);
    for (const [from, to] of windows) expect(to - from).toBeLessThan(62 * DAY);
    // A window of exactly 61 days is one call.
    emu.control.clearRequests();
    await gateway().hostSchedule(request({ start, end: start + 61 * DAY }));
    expect(calls()).toHaveLength(1);
  });

  it.each([429, 503])('retries a %i after the Retry-After it carries, then reads', async (status) => {
    emu.control.injectFault({ match: { method: 'POST', pathPrefix: PATH }, status, retryAfter: 1, times: 1 });
    // The client's own delay, for an answer without Retry-After, made long: a retry that ignored the header
    // would wait 10 s or more, far from Graph's 1 s even on a loaded machine.
    const result = await gateway({}, { delaySeconds: 10 }).hostSchedule(request());
    expect(result.ok).toBe(true);
    const [first, second] = calls();
    expect([first?.status, second?.status, calls().length]).toEqual([status, 200, 2]);
    // Graph's Retry-After (1 s), not the client's own delay.
    const waited = startedAt(second!) - Date.parse(first!.at);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(6_000);
  });

  it('reports throttling that outlasts the retries as RATE_LIMITED, never as free time', async () => {
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: PATH },
      status: 429,
      retryAfter: 0,
      times: Infinity,
    });
    const result = await gateway({}, { maxRetries: 2, delaySeconds: 0 }).hostSchedule(request());
    expect(result).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(calls().map((c) => c.status)).toEqual([429, 429, 429]);
  });

  it('sends at most 4 requests at once per mailbox, however many reads run', async () => {
    // The emulator answers 429 beyond 4 concurrent requests per mailbox, as Outlook does.
    emu.control.setLimits({ maxConcurrentRequestsPerMailbox: 4 });
    emu.control.injectFault({ match: { method: 'POST', pathPrefix: PATH }, latencyMs: 150, times: Infinity });
    const g = gateway();
    const results = await Promise.all(Array.from({ length: 12 }, () => g.hostSchedule(request())));
    expect(results.every((r) => r.ok)).toBe(true);
    // The emulator logs a request once its answer is sent: the last ones may be a moment behind.
    for (let i = 0; i < 50 && calls().length < 12; i++) await new Promise((r) => setTimeout(r, 10));
    const log = calls();
    // The limit itself: the emulator refused none (a fifth request at once would have been answered 429).
    expect(log.map((c) => c.status)).toEqual(Array(12).fill(200));
    // And the reads did run side by side. The log's end time is when the answer was sent, a moment after the
    // emulator let the next request in, so on a loaded machine it can show one more at once than there were.
    const edges = log.flatMap((c) => [
      [startedAt(c), 1],
      [Date.parse(c.at), -1],
    ]);
    edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let now = 0;
    let peak = 0;
    for (const [, step] of edges) peak = Math.max(peak, (now += step!));
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(5);
  });

  it('a schedule Graph cannot read makes the host offer nothing, with the calendar named', async () => {
    const result = await gateway().hostSchedule(request({ extraCalendars: ['nobody@contoso.com'] }));
    expect(result).toMatchObject({
      ok: false,
      code: 'MICROSOFT_UNAVAILABLE',
      calendar: 'nobody@contoso.com',
    });
  });
});
