// The sandbox's start banner: what was made (keys, members, event types and their booking pages, the start
// page) and ready-to-run commands, each one working as printed and showing its effect — the slots of the
// Teams event type, a busy event put in Outlook exactly over the first of them, the same slots without it,
// a booking of the next one; the slots of the round-robin, collective and room event types.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@config/env.schema.js';
import { GetSlots, type SlotView } from '@application/availability/get-slots.use-case.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { DEMO } from '../../../emulator/index.js';
import {
  DEMO_MEMBERS,
  SANDBOX_ROOM_POOL,
  SPARE_ACCOUNTS,
  sandboxPath,
  type SandboxStart,
} from './sandbox.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How far ahead the banner looks for the Teams event type's first free time. */
const SEARCH_DAYS = 14;
/** The slots window the banner prints: from the first free time, a few hours. */
const WINDOW_MS = 3 * HOUR_MS;

export interface GuideStep {
  /** What the commands show, printed as a `#` line above them. */
  say: string;
  commands: string[];
}

export interface SandboxGuide {
  text: string;
  steps: GuideStep[];
  /** The slots the guide is built on (empty when the Teams host offers nothing within two weeks). */
  window: { start: string; end: string; firstSlot: SlotView | null; bookedSlot: SlotView | null };
}

/** Shell single quotes: the text is taken literally by sh, bash and zsh. */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

interface Curl {
  method?: 'POST' | 'PATCH';
  url: string;
  headers?: string[];
  body?: unknown;
  cacert?: string;
  follow?: boolean;
}

function curl(c: Curl): string {
  const parts = [`curl -s${c.follow ? 'L' : ''}`];
  if (c.cacert) parts.push(`--cacert ${quote(c.cacert)}`);
  if (c.method) parts.push(`-X ${c.method}`);
  for (const h of c.headers ?? []) parts.push(`-H ${quote(h)}`);
  if (c.body !== undefined)
    parts.push(`-H 'content-type: application/json'`, `-d ${quote(JSON.stringify(c.body))}`);
  // A URL with a shell variable in it stays unquoted (it holds nothing else the shell would read).
  parts.push(c.url.includes('$') ? c.url : quote(c.url));
  return parts.join(' ');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const compact = (text: string) => text.replace(/[^0-9A-Za-z]/g, '');

/** Builds the banner from what `prepareSandbox` made, reading the first free times through the API's use case. */
export async function sandboxGuide(
  app: NestFastifyApplication,
  config: AppConfig,
  start: SandboxStart,
  now: Date = new Date(),
): Promise<SandboxGuide> {
  const f = start.file;
  const b = f.baseUrl;
  const emu = f.emulator;
  const key = `Authorization: Bearer ${f.apiKey}`;
  const teams = f.eventTypes.teams;
  const roundRobin = f.eventTypes.roundRobin;
  const { collective, rooms } = f.eventTypes;

  // From tomorrow on, so that the printed times still lie ahead when someone runs them later today.
  const from = Math.ceil(now.getTime() / DAY_MS) * DAY_MS;
  let slots: SlotView[] = [];
  let noSlots = '';
  try {
    slots = (
      await app.get(GetSlots).execute({
        workspaceId: f.workspaceId,
        eventTypeId: teams.id,
        start: new Date(from),
        end: new Date(from + SEARCH_DAYS * DAY_MS),
      })
    ).slots;
  } catch (error) {
    noSlots = error instanceof Error ? error.message : String(error);
  }
  const first = slots[0] ?? null;
  const windowStart = first ? Date.parse(first.start) : from;
  const windowEnd = first ? windowStart + WINDOW_MS : from + SEARCH_DAYS * DAY_MS;
  const inWindow = slots.filter((s) => Date.parse(s.end) <= windowEnd);
  const booked = inWindow[1] ?? null;
  const slotsUrl = (id: string) =>
    `${b}/v1/event-types/${id}/slots?start=${iso(windowStart)}&end=${iso(windowEnd)}`;
  // Two people's (or a person's and a room's) free times meet less often: a week of them.
  const weekOfSlotsUrl = (id: string) =>
    `${b}/v1/event-types/${id}/slots?start=${iso(windowStart)}&end=${iso(windowStart + 7 * DAY_MS)}`;

  const steps: GuideStep[] = [
    {
      say: 'The service is up, and the demo members are connected to their Outlook calendars:',
      commands: [curl({ url: `${b}/health` }), curl({ url: `${b}/v1/members`, headers: [key] })],
    },
    { say: 'The four event types:', commands: [curl({ url: `${b}/v1/event-types`, headers: [key] })] },
  ];
  if (first) {
    steps.push(
      {
        say: `Adele's free times for "${teams.slug}" (her Outlook working hours, less her Outlook calendar), from ${first.start}:`,
        commands: [curl({ url: slotsUrl(teams.id), headers: [key] })],
      },
      {
        say: `Adele gets busy in Outlook, behind kailenty's back, exactly over the first of them (${first.start}):`,
        commands: [
          curl({
            method: 'POST',
            url: `${emu.url}/_emulator/events`,
            cacert: emu.caFile,
            body: { userId: DEMO.users.adele.mail, subject: 'Dentist', start: first.start, end: first.end },
          }),
        ],
      },
      {
        say: `A second or so later (Graph notifies kailenty, its worker reads the change): the same slots no longer offer ${first.start}:`,
        commands: [curl({ url: slotsUrl(teams.id), headers: [key] })],
      },
    );
  }
  if (booked) {
    steps.push({
      say: `Book ${booked.start}: the answer carries the Teams link, and the event is in Adele's Outlook (calendar.syncStatus "synced"):`,
      commands: [
        curl({
          method: 'POST',
          url: `${b}/v1/bookings`,
          headers: [key, `Idempotency-Key: sandbox-booking-${compact(booked.start)}`],
          body: {
            eventTypeId: teams.id,
            start: booked.start,
            guest: { name: 'Grace Hopper', email: 'grace.hopper@example.com' },
          },
        }),
        curl({
          url: `${b}/v1/bookings?hostId=${f.members.adele}&start=${iso(windowStart)}&end=${iso(windowEnd)}`,
          headers: [key],
        }),
      ],
    });
  }
  steps.push({
    say: `"${roundRobin.slug}" (round robin) offers a time when Adele or Megan is free:`,
    commands: [curl({ url: slotsUrl(roundRobin.id), headers: [key] })],
  });
  steps.push({
    say: `"${collective.slug}" (collective) offers a time only when Adele and Alex are both free (one Outlook event, both invited):`,
    commands: [curl({ url: weekOfSlotsUrl(collective.id), headers: [key] })],
  });
  steps.push({
    say: `"${rooms.slug}" offers a time when Adele and a room of its pool are free (the booking invites the first free room):`,
    commands: [curl({ url: weekOfSlotsUrl(rooms.id), headers: [key] })],
  });
  const spare = await spareAccount(app, f.workspaceId);
  if (spare) {
    const member = curl({
      method: 'POST',
      url: `${b}/v1/members`,
      headers: [key, `Idempotency-Key: sandbox-member-${compact(spare.mail)}`],
      body: { email: spare.mail, displayName: spare.displayName, role: 'member' },
    });
    steps.push({
      say: `${spare.displayName} has an account in the demo tenant: add them, activate them, connect them (the last line lands on the sandbox's return page with result connected):`,
      commands: [
        `MEMBER=$(${member} | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4); echo "$MEMBER"`,
        curl({ method: 'PATCH', url: `${b}/v1/members/$MEMBER`, headers: [key], body: { status: 'active' } }),
        curl({ url: `${b}/sandbox/connect/$MEMBER`, cacert: emu.caFile, follow: true }),
      ],
    });
  }
  steps.push({
    say: 'Operators create workspaces (each with its own API key):',
    commands: [
      curl({
        method: 'POST',
        url: `${b}/v1/workspaces`,
        headers: [`Authorization: Bearer ${f.operatorToken}`],
        body: { name: 'Acme', returnUrl: 'https://acme.example/return' },
      }),
    ],
  });

  const names = new Map(DEMO_MEMBERS.map((d) => [f.members[d.key], d.displayName]));
  const lines = [
    '',
    '  kailenty is running in SANDBOX mode (no MICROSOFT_CLIENT_ID/SECRET configured).',
    `  Database: ${config.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  Microsoft 365: the bundled emulator at ${emu.url} (CA: ${emu.caFile}), its state kept in ${emu.stateFile}`,
    ...(start.emulatorMoved
      ? ['  (it listens on another port than last time: the connected members were signed in again)']
      : []),
    ...(start.microsoftStartedAfresh
      ? [
          `  (${emu.stateFile} was missing: Microsoft 365 started afresh and the members were signed in again;`,
          '   bookings made before point to Outlook events that no longer exist)',
        ]
      : []),
    `  Written to ${sandboxPath(config)}:`,
    `    operator token  ${f.operatorToken}`,
    `    demo API key    ${f.apiKey}`,
    `    workspace id    ${f.workspaceId}`,
    '  Demo members (connected to their Outlook calendars through the real sign-in):',
    ...DEMO_MEMBERS.map(
      (d) => `    ${d.key.padEnd(6)} ${f.members[d.key]}  ${d.displayName} (${d.role}; ${d.note})`,
    ),
    ...start.notConnected.map(
      (n) =>
        `    NOT connected: ${names.get(n.memberId) ?? n.memberId} (${n.reason}); try: ${b}/sandbox/connect/${n.memberId}`,
    ),
    '  Event types, each with its booking page:',
    `    ${teams.slug.padEnd(11)} ${teams.id}  ${teams.title} (Teams, one host)`,
    `    ${''.padEnd(11)} ${teams.bookingUrl}`,
    `    ${roundRobin.slug.padEnd(11)} ${roundRobin.id}  ${roundRobin.title} (Teams, round robin)`,
    `    ${''.padEnd(11)} ${roundRobin.bookingUrl}`,
    `    ${collective.slug.padEnd(11)} ${collective.id}  ${collective.title} (Teams, collective: both at once)`,
    `    ${''.padEnd(11)} ${collective.bookingUrl}`,
    `    ${rooms.slug.padEnd(11)} ${rooms.id}  ${rooms.title} (Teams, with a room: ${SANDBOX_ROOM_POOL.map((r) => r.name).join(', ')})`,
    `    ${''.padEnd(11)} ${rooms.bookingUrl}`,
    '',
    `  In a browser: ${f.startUrl}  (the demo workspace: connect members, open the booking pages, see the bookings)`,
    ...(noSlots || !first
      ? [`  (Adele offers no time in the next ${SEARCH_DAYS} days${noSlots ? `: ${noSlots}` : ''})`]
      : []),
    '',
    '  Try (each line works as printed):',
    ...steps.flatMap((s) => [`  # ${s.say}`, ...s.commands.map((c) => `    ${c}`)]),
    '',
    `  Emulator control surface: ${emu.url}/_emulator (see emulator/README.md)`,
    `  API docs: ${b}/docs  (OpenAPI: ${b}/docs-json)`,
    '',
  ];
  return {
    text: lines.join('\n'),
    steps,
    window: { start: iso(windowStart), end: iso(windowEnd), firstSlot: first, bookedSlot: booked },
  };
}

/** The first spare account of the demo tenant that is not a member of the demo workspace yet. */
async function spareAccount(app: NestFastifyApplication, workspaceId: string) {
  const members = app.get(MemberRepository);
  for (const spare of SPARE_ACCOUNTS) {
    if (!(await members.findByEmail(workspaceId, spare.mail))) return spare;
  }
  return null;
}
