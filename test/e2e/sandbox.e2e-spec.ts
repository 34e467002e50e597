// The sandbox as `npm start` runs it (startService: secrets, the emulator with its state in DATA_DIR, the
// database, HTTP and the jobs): ready at first start, every banner line working as printed (run by bash
// and curl) with its effect, and a restart — on the same port, on another one, or with Microsoft 365's
// state gone — that changes nothing a user can see: connected members stay usable, old bookings keep
// their Outlook events, and booking again works.
import { execFile } from 'node:child_process';
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type AppConfig } from '@config/env.schema.js';
import { startService, type RunningService } from '@adapters/nest/start-service.js';
import type { SandboxFile } from '@adapters/sandbox/sandbox.js';
import { DEMO } from '../../emulator/seed.js';
import { createServerDatabase, usingPostgres } from '../support/database.js';

jest.setTimeout(180_000);

const run = promisify(execFile);
let dir: string;
let port: number;
let database: { url: string; drop(): Promise<void> } | null = null;
let service: RunningService | null = null;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

/** The configuration `npm start` builds from the environment, on this test's DATA_DIR and port. */
function config(emulatorPort: number | null): AppConfig {
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  };
  if (database) env.DATABASE_URL = database.url;
  return { ...loadConfig(env), emulatorPort };
}

async function start(emulatorPort: number | null = null): Promise<RunningService> {
  service = await startService(config(emulatorPort), { swaggerUi: false, host: '127.0.0.1' });
  return service;
}

async function stop(): Promise<void> {
  await service?.close();
  service = null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kailenty-sandbox-'));
  port = await freePort();
  if (usingPostgres) database = await createServerDatabase();
});
afterAll(async () => {
  await stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function sandboxFile(): SandboxFile {
  return JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as SandboxFile;
}

async function api(path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.key ?? sandboxFile().apiKey}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON, read by the assertions
  return { status: res.status, body: (await res.json()) as any };
}

interface PrintedStep {
  say: string;
  commands: string[];
}

/** The banner's "Try" section as printed: `# …` says what the commands under it (indented) show. */
function printedSteps(banner: string): PrintedStep[] {
  const lines = banner.split('\n');
  const from = lines.findIndex((l) => l.includes('Try (each line works as printed)'));
  expect(from).toBeGreaterThan(0);
  const steps: PrintedStep[] = [];
  for (const line of lines.slice(from + 1)) {
    if (line.startsWith('  # ')) steps.push({ say: line.slice(4), commands: [] });
    else if (line.startsWith('    ') && steps.length > 0) steps.at(-1)!.commands.push(line.slice(4));
    else if (line.trim() === '') break;
  }
  return steps;
}

/** Runs a step's commands as printed, in one bash (a variable set by one line is used by the next). */
async function runPrinted(step: PrintedStep): Promise<string[]> {
  const marker = '@@kailenty-step@@';
  const script = step.commands.join(`\nprintf '\\n${marker}\\n'\n`);
  const { stdout } = await run('bash', ['-c', script], { timeout: 60_000 });
  return stdout.split(`\n${marker}\n`).map((s) => s.trim());
}

const json = (text: string) => JSON.parse(text);
const starts = (text: string): string[] => json(text).slots.map((s: { start: string }) => s.start);

describe('the sandbox', () => {
  let bookingId: string;
  let eventId: string;
  let joinUrl: string;

  it('is ready at first start, and every line of its banner works as printed, with its effect', async () => {
    await expect(run('curl', ['--version'])).resolves.toBeDefined();
    const s = await start(0);
    const guide = s.sandbox!.guide;
    const file = sandboxFile();
    expect(Object.keys(file.members).sort()).toEqual(['adele', 'alex', 'megan']);
    expect(file.eventTypes.teams).toMatchObject({
      slug: 'intro-call',
      assignment: 'single',
      hostIds: [file.members.adele],
    });
    expect(file.eventTypes.roundRobin).toMatchObject({
      slug: 'sales-call',
      assignment: 'round_robin',
      hostIds: [file.members.adele, file.members.megan],
    });
    expect(file.eventTypes.collective).toMatchObject({
      slug: 'team-call',
      assignment: 'collective',
      hostIds: [file.members.adele, file.members.alex],
    });
    expect(file.eventTypes.rooms).toMatchObject({
      slug: 'office-visit',
      assignment: 'single',
      hostIds: [file.members.adele],
    });
    expect(file.emulator.url).toBe(s.emulator!.url);
    expect(file.startUrl).toBe(`http://127.0.0.1:${port}/`);
    // Every demo event type has its booking page on, and it opens.
    const refs = Object.values(file.eventTypes);
    expect(refs).toHaveLength(4);
    for (const ref of refs) {
      expect(ref.bookingUrl).toBe(`http://127.0.0.1:${port}/book/${ref.id}`);
      const page = await fetch(ref.bookingUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(ref.title);
    }
    // The banner names what sandbox.json names.
    for (const text of [
      file.apiKey,
      file.operatorToken,
      ...refs.flatMap((ref) => [ref.id, ref.bookingUrl]),
      file.startUrl,
    ])
      expect(guide.text).toContain(text);
    expect(s.sandbox!.notConnected).toEqual([]);
    expect(s.sandbox!.signedIn.sort()).toEqual(Object.values(file.members).sort());

    const steps = printedSteps(guide.text);
    const step = (words: string) => {
      const found = steps.find((x) => x.say.includes(words));
      if (!found) throw new Error(`no step saying "${words}" in:\n${guide.text}`);
      return found;
    };
    const first = guide.window.firstSlot!;
    const next = guide.window.bookedSlot!;
    expect(first).not.toBeNull();
    expect(next).not.toBeNull();

    const [health, members] = await runPrinted(step('The service is up'));
    expect(json(health)).toMatchObject({ status: 'ok', database: 'up' });
    expect(json(members).data).toHaveLength(3);
    for (const m of json(members).data)
      expect(m.microsoft).toMatchObject({ connection: 'connected', changeNotifications: 'active' });
    const [eventTypes] = await runPrinted(step('The four event types'));
    expect(
      json(eventTypes)
        .data.map((e: { slug: string }) => e.slug)
        .sort(),
    ).toEqual(['intro-call', 'office-visit', 'sales-call', 'team-call']);
    for (const e of json(eventTypes).data)
      expect(e).toMatchObject({ bookingPage: { enabled: true }, bookingUrl: expect.any(String) });

    const [before] = await runPrinted(step("Adele's free times"));
    expect(starts(before)).toContain(first.start);
    expect(starts(before)).toContain(next.start);
    const [busy] = await runPrinted(step('Adele gets busy in Outlook'));
    expect(json(busy)).toMatchObject({ subject: 'Dentist', showAs: 'busy' });
    expect(s.emulator!.control.events(DEMO.users.adele.id).map((e) => e.id)).toContain(json(busy).id);
    // The change reaches kailenty as a Graph notification, handled by its worker within a second or so.
    const again = step('Graph notifies kailenty');
    let after: string[] = [];
    for (let i = 0; i < 20; i++) {
      after = starts((await runPrinted(again))[0]);
      if (!after.includes(first.start)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(after).not.toContain(first.start);
    expect(after).toContain(next.start);

    const [booked, listed] = await runPrinted(step(`Book ${next.start}`));
    const booking = json(booked);
    expect(booking).toMatchObject({
      status: 'confirmed',
      start: next.start,
      hostId: file.members.adele,
      calendar: { syncStatus: 'synced' },
      location: { kind: 'teams', joinUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\//) },
    });
    expect(json(listed).data.map((b: { id: string }) => b.id)).toContain(booking.id);
    ({
      id: bookingId,
      location: { joinUrl },
    } = booking);
    eventId = booking.calendar.eventId;
    expect(s.emulator!.control.event(eventId)).toMatchObject({ onlineMeeting: { joinUrl } });

    const [roundRobin] = await runPrinted(step('(round robin)'));
    expect(json(roundRobin)).toMatchObject({ slots: expect.any(Array), warnings: [] });

    // The collective and the room event types are offered times (printed), and book through their pages.
    const [team] = await runPrinted(step('(collective)'));
    expect(json(team).warnings).toEqual([]);
    expect(json(team).slots.length).toBeGreaterThan(0);
    for (const slot of json(team).slots)
      expect(slot.hostIds).toEqual([file.members.adele, file.members.alex]);
    const [office] = await runPrinted(step('a room of its pool'));
    expect(json(office).warnings).toEqual([]);
    expect(json(office).slots.length).toBeGreaterThan(0);
    const pool = ['rainier@contoso.com', 'baker@contoso.com', 'olympic@contoso.com'];
    for (const [ref, guestName] of [
      [file.eventTypes.collective, 'Grace'],
      [file.eventTypes.rooms, 'Linus'],
    ] as const) {
      const page = `http://127.0.0.1:${port}/v1/public/booking-pages/${ref.id}`;
      const offered = await fetch(
        `${page}/slots?start=${guide.window.start}&end=${new Date(Date.parse(guide.window.start) + 7 * 86_400_000).toISOString()}&timeZone=UTC`,
      );
      expect(offered.status).toBe(200);
      const [slot] = ((await offered.json()) as { slots: { start: string }[] }).slots;
      expect(slot).toBeDefined();
      const made = await fetch(`${page}/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          start: slot!.start,
          guest: {
            name: guestName,
            email: `${guestName.toLowerCase()}@example.com`,
            timeZone: 'Europe/Paris',
          },
        }),
      });
      const answer = { status: made.status, body: (await made.json()) as { id: string } };
      expect(answer).toMatchObject({ status: 201 });
      const { id } = answer.body;
      const booked = (await api(`/v1/bookings/${id}`)).body;
      expect(booked).toMatchObject({
        status: 'confirmed',
        start: slot!.start,
        calendar: { syncStatus: 'synced' },
      });
      const event = s.emulator!.control.event(booked.calendar.eventId) as unknown as {
        attendees: { type: string; emailAddress: { address: string } }[];
      };
      if (ref === file.eventTypes.collective) {
        expect(booked.hostIds).toEqual([file.members.adele, file.members.alex]);
        expect(event.attendees.map((a) => a.emailAddress.address)).toContain(DEMO.users.alex.mail);
      } else {
        expect(pool).toContain(booked.room.email);
        expect(event.attendees).toContainEqual(
          expect.objectContaining({
            type: 'resource',
            emailAddress: expect.objectContaining({ address: booked.room.email }),
          }),
        );
      }
    }

    const [memberId, activated, connected] = await runPrinted(step('has an account in the demo tenant'));
    expect(memberId).toMatch(/^[0-9a-f-]{36}$/);
    expect(json(activated)).toMatchObject({ id: memberId, status: 'active' });
    expect(json(connected)).toMatchObject({ result: 'connected', memberId });

    const [workspace] = await runPrinted(step('Operators create workspaces'));
    expect(json(workspace)).toMatchObject({ name: 'Acme', apiKey: expect.stringMatching(/^kly_/) });
  });

  it('restarts on the same DATA_DIR with nothing changed: same port, members usable, the booking and its event kept', async () => {
    const emulatorUrl = service!.emulator!.url;
    const before = sandboxFile();
    await stop();

    const s = await start();
    expect(s.emulator!.restored).toBe(true);
    expect(s.emulator!.url).toBe(emulatorUrl);
    expect(s.sandbox).toMatchObject({ signedIn: [], emulatorMoved: false, microsoftStartedAfresh: false });
    expect(sandboxFile()).toEqual(before);

    const members = await api('/v1/members');
    expect(members.body.data).toHaveLength(4);
    for (const m of members.body.data)
      expect(m.microsoft).toMatchObject({ connection: 'connected', changeNotifications: 'active' });
    // "active" is true: Graph still holds each member's subscription.
    const subscribed = new Set(s.emulator!.control.subscriptions().map((x) => x.ownerId));
    for (const m of members.body.data) expect(subscribed).toContain(m.microsoft.userId);
    const window = s.sandbox!.guide.window;
    const slots = await api(
      `/v1/event-types/${before.eventTypes.teams.id}/slots?start=${window.start}&end=${window.end}`,
    );
    expect(slots.status).toBe(200);

    const old = await api(`/v1/bookings/${bookingId}`);
    expect(old.body).toMatchObject({ calendar: { eventId, syncStatus: 'synced' }, location: { joinUrl } });
    expect(s.emulator!.control.event(eventId)).toMatchObject({
      subject: expect.any(String),
      onlineMeeting: { joinUrl },
    });

    const again = await api('/v1/bookings', {
      method: 'POST',
      body: {
        eventTypeId: before.eventTypes.teams.id,
        start: window.firstSlot!.start,
        guest: { name: 'Ada', email: 'ada@example.com' },
      },
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ calendar: { syncStatus: 'synced' } });
    expect(s.emulator!.control.event(again.body.calendar.eventId)).toBeDefined();
  });

  it('when its port is taken, Microsoft 365 moves and the connected members are signed in again: still usable', async () => {
    const oldPort = Number(new URL(service!.emulator!.url).port);
    await stop();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(oldPort, '127.0.0.1', r));
    try {
      const s = await start();
      expect(s.emulator!.restored).toBe(true);
      expect(Number(new URL(s.emulator!.url).port)).not.toBe(oldPort);
      expect(s.sandbox!.emulatorMoved).toBe(true);
      expect(s.sandbox!.signedIn).toHaveLength(4);
      expect(s.sandbox!.guide.text).toContain('listens on another port than last time');
      expect(sandboxFile().emulator.url).toBe(s.emulator!.url);
      const window = s.sandbox!.guide.window;
      const booked = await api('/v1/bookings', {
        method: 'POST',
        body: {
          eventTypeId: sandboxFile().eventTypes.teams.id,
          start: window.firstSlot!.start,
          guest: { name: 'Alan', email: 'alan@example.com' },
        },
      });
      expect(booked.status).toBe(201);
      expect(booked.body.calendar.syncStatus).toBe('synced');
      expect((await api(`/v1/bookings/${bookingId}`)).body.calendar.syncStatus).toBe('synced');
      expect(s.emulator!.control.event(eventId)).toBeDefined();
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it("says so, and signs the members in again, when Microsoft 365's state is gone", async () => {
    await stop();
    rmSync(join(dir, 'emulator-state.json'));
    const s = await start(0);
    expect(s.emulator!.restored).toBe(false);
    expect(s.sandbox!.microsoftStartedAfresh).toBe(true);
    expect(s.sandbox!.guide.text).toContain('Microsoft 365 started afresh');
    // Every member who was connected (the three demo ones and the one the banner added) signs in again.
    expect(s.sandbox!.notConnected).toEqual([]);
    expect(s.sandbox!.signedIn).toHaveLength(4);
    const slots = await api(
      `/v1/event-types/${sandboxFile().eventTypes.teams.id}/slots?start=${s.sandbox!.guide.window.start}&end=${s.sandbox!.guide.window.end}`,
    );
    expect(slots.status).toBe(200);
  });

  it('switches the booking pages on in a sandbox made before they existed, once: later starts keep what the user set', async () => {
    const { eventTypes } = sandboxFile();
    const enabled = async (id: string) => (await api(`/v1/event-types/${id}`)).body.bookingPage.enabled;
    const switchOff = async (id: string) =>
      expect(
        (await api(`/v1/event-types/${id}`, { method: 'PATCH', body: { bookingPage: { enabled: false } } }))
          .status,
      ).toBe(200);

    // A sandbox.json and event types as an earlier version left them.
    await switchOff(eventTypes.teams.id);
    // (from before the collective and room event types too: they are found again by their slugs)
    const { bookingPagesSeeded: _seeded, ...rest } = sandboxFile();
    const { teams, roundRobin } = rest.eventTypes;
    const older = { ...rest, eventTypes: { teams, roundRobin } };
    writeFileSync(join(dir, 'sandbox.json'), JSON.stringify(older));
    await stop();
    await start();
    expect(await enabled(eventTypes.teams.id)).toBe(true);
    expect(sandboxFile().eventTypes).toMatchObject({
      collective: { id: eventTypes.collective.id },
      rooms: { id: eventTypes.rooms.id },
    });
    expect(sandboxFile().bookingPagesSeeded).toBe(true);

    // Switched off by the user now: it stays off.
    await switchOff(eventTypes.roundRobin.id);
    await stop();
    await start();
    expect(await enabled(eventTypes.roundRobin.id)).toBe(false);
    expect(await enabled(eventTypes.teams.id)).toBe(true);
  });
});
