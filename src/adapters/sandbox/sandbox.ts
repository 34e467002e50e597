// Sandbox mode: with no Microsoft app configured, the service makes its own secrets (kept in DATA_DIR), a
// demo workspace whose members are connected to their (emulated) Outlook through the real sign-in, a
// single-host Teams event type, a round-robin one, a collective one (two hosts at once) and one that books a
// room of a pool of Contoso's meeting rooms, with their booking pages on, and writes what it made to
// DATA_DIR/sandbox.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@config/env.schema.js';
import { SERVICE } from '@domain/audit/audit-event.js';
import type { Assignment, EventTypeDefinition } from '@domain/event-type/event-type.js';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { CreateEventType } from '@application/event-type/create-event-type.use-case.js';
import { UpdateEventType } from '@application/event-type/update-event-type.use-case.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { GetWorkspace } from '@application/workspace/get-workspace.use-case.js';
import { UpdateWorkspace } from '@application/workspace/update-workspace.use-case.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { DEMO, type Emulator } from '../../../emulator/index.js';
import { SandboxWorkspace } from './sandbox-workspace.js';
import { sandboxEmulatorFiles } from './sandbox-emulator.js';

type DemoKey = 'adele' | 'megan' | 'alex';

/** Demo members, matching accounts of the emulator's Contoso tenant. */
export const DEMO_MEMBERS: { key: DemoKey; displayName: string; role: 'admin' | 'member'; note: string }[] = [
  { key: 'adele', displayName: 'Adele Vance', role: 'admin', note: 'Teams, Pacific time' },
  { key: 'megan', displayName: 'Megan Bowen', role: 'member', note: 'Teams, Central Europe' },
  { key: 'alex', displayName: 'Alex Wilber', role: 'member', note: 'no Teams licence, Eastern time' },
];

/**
 * People of the demo tenant who are not members yet: the banner's "add a member" example takes the first
 * one still free, so that it names an account that exists and can connect. Fixed object ids: a member is
 * bound to the account's oid, which must be the same in a Microsoft 365 that started afresh.
 */
export const SPARE_ACCOUNTS = [
  {
    id: '1f2e3d4c-5b6a-4789-8abc-def012345621',
    mail: 'nestor.wilke@contoso.com',
    displayName: 'Nestor Wilke',
    timeZone: 'GMT Standard Time',
  },
  {
    id: '1f2e3d4c-5b6a-4789-8abc-def012345622',
    mail: 'lee.gu@contoso.com',
    displayName: 'Lee Gu',
    timeZone: 'Singapore Standard Time',
  },
  {
    id: '1f2e3d4c-5b6a-4789-8abc-def012345623',
    mail: 'isaiah.langer@contoso.com',
    displayName: 'Isaiah Langer',
    timeZone: 'Central Standard Time',
  },
];

/**
 * Meeting rooms of the demo tenant besides its Conf Room Rainier (in Redmond, as Adele works): the room
 * event type's pool. Fixed object ids, as for the spare accounts; Exchange's default processing (AutoAccept).
 */
export const SANDBOX_ROOMS = [
  {
    id: '1f2e3d4c-5b6a-4789-8abc-def012345631',
    mail: 'baker@contoso.com',
    displayName: 'Conf Room Baker',
    timeZone: 'Pacific Standard Time',
  },
  {
    id: '1f2e3d4c-5b6a-4789-8abc-def012345632',
    mail: 'olympic@contoso.com',
    displayName: 'Conf Room Olympic',
    timeZone: 'Pacific Standard Time',
  },
];

/** The room event type's pool, in the order its rooms are tried: Rainier (booked most mornings) first. */
export const SANDBOX_ROOM_POOL = [
  { email: DEMO.users.room.mail, name: 'Conf Room Rainier' },
  ...SANDBOX_ROOMS.map((r) => ({ email: r.mail, name: r.displayName })),
];

export interface SandboxEventTypeRef {
  id: string;
  slug: string;
  title: string;
  assignment: Assignment;
  hostIds: string[];
  /** The event type's public booking page. */
  bookingUrl: string;
}

export interface SandboxFile {
  operatorToken: string;
  apiKey: string;
  workspaceId: string;
  baseUrl: string;
  /** The start page: the demo workspace in a browser. */
  startUrl: string;
  members: Record<DemoKey, string>;
  eventTypes: {
    teams: SandboxEventTypeRef;
    roundRobin: SandboxEventTypeRef;
    /** Adele and Alex at once (one Outlook event organised by Adele, Alex invited). */
    collective: SandboxEventTypeRef;
    /** Adele with a room of SANDBOX_ROOM_POOL (required). */
    rooms: SandboxEventTypeRef;
  };
  /**
   * The demo event types' booking pages were switched on once (a sandbox made before booking pages
   * existed lacks this): later starts leave them as the user set them.
   */
  bookingPagesSeeded: true;
  emulator: { url: string; caFile: string; stateFile: string };
}

/** What `prepareSandbox` did at this start, for the banner. */
export interface SandboxStart {
  file: SandboxFile;
  /** Members signed in through the emulator at this start (first start, or Microsoft 365's address or state changed). */
  signedIn: string[];
  /** Members whose sign-in failed, with why. */
  notConnected: { memberId: string; reason: string }[];
  /** The emulator's state file was missing while the database remembered a demo workspace. */
  microsoftStartedAfresh: boolean;
  /** The emulator listens on another address than last time. */
  emulatorMoved: boolean;
}

export function sandboxPath(config: AppConfig): string {
  return join(config.dataDir, 'sandbox.json');
}

export function readSandboxFile(config: AppConfig): Partial<SandboxFile> {
  const path = sandboxPath(config);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxFile>;
  } catch {
    return {};
  }
}

/** Fills in the operator token and the token encryption key, generated once and kept in DATA_DIR. */
export function prepareSandboxSecrets(config: AppConfig): AppConfig {
  mkdirSync(config.dataDir, { recursive: true });
  const previous = readSandboxFile(config);
  const operatorToken =
    config.operatorToken ?? previous.operatorToken ?? `op_${randomBytes(24).toString('base64url')}`;
  let tokenEncryptionKeys = config.tokenEncryptionKeys;
  if (tokenEncryptionKeys.length === 0) {
    const keyPath = join(config.dataDir, 'token-encryption.key');
    if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString('base64'), { mode: 0o600 });
    tokenEncryptionKeys = [Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64')];
  }
  return { ...config, operatorToken, tokenEncryptionKeys };
}

/**
 * Makes the sandbox ready to use: the demo workspace (found again, or created), its members active and
 * connected, its four event types, and sandbox.json naming all of it.
 */
export async function prepareSandbox(
  app: NestFastifyApplication,
  config: AppConfig,
  emulator: Emulator,
): Promise<SandboxStart> {
  const previous = readSandboxFile(config);
  const { workspaceId, apiKey, found } = await demoWorkspace(app, config, previous);
  app.get(SandboxWorkspace).set(workspaceId);
  await returnToThisAddress(app, config, workspaceId);
  addSpareAccounts(emulator);
  addRooms(emulator);

  const members = {} as Record<DemoKey, string>;
  const repository = app.get(MemberRepository);
  for (const demo of DEMO_MEMBERS) {
    const mail = DEMO.users[demo.key].mail;
    let member = await repository.findByEmail(workspaceId, mail);
    if (!member) {
      member = await app
        .get(AddMember)
        .execute({ workspaceId, email: mail, displayName: demo.displayName, role: demo.role, by: SERVICE });
      await app
        .get(UpdateMember)
        .execute({ workspaceId, memberId: member.id, changes: { status: 'active' }, by: SERVICE });
    }
    members[demo.key] = member.id;
  }

  // Tokens the database holds were issued by this Microsoft 365 at this address: when it starts afresh or
  // moves, they are worth nothing, and the members who were connected sign in again.
  const emulatorMoved = Boolean(previous.emulator?.url && previous.emulator.url !== emulator.url);
  const microsoftStartedAfresh = found && !emulator.restored;
  const connections = app.get(MicrosoftConnectionRepository);
  const toSignIn = new Set<string>();
  for (const id of Object.values(members)) {
    if (!(await connections.findByMember(workspaceId, id))) toSignIn.add(id);
  }
  if (emulatorMoved || microsoftStartedAfresh) {
    for (const c of await connections.listByWorkspace(workspaceId)) if (c.isUsable) toSignIn.add(c.memberId);
  }
  const signedIn: string[] = [];
  const notConnected: SandboxStart['notConnected'] = [];
  for (const memberId of toSignIn) {
    const outcome = await signIn(app, emulator, workspaceId, memberId);
    if (outcome === 'connected') signedIn.push(memberId);
    else notConnected.push({ memberId, reason: outcome });
  }

  const seedPages = !previous.bookingPagesSeeded;
  const eventTypes = {
    teams: await ensureEventType(app, workspaceId, previous.eventTypes?.teams?.id, seedPages, {
      slug: 'intro-call',
      title: 'Intro call with Adele',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [members.adele],
      assignment: 'single',
      bookingPage: { enabled: true },
    }),
    roundRobin: await ensureEventType(app, workspaceId, previous.eventTypes?.roundRobin?.id, seedPages, {
      slug: 'sales-call',
      title: 'Sales call (Adele or Megan)',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [members.adele, members.megan],
      assignment: 'round_robin',
      bookingPage: { enabled: true },
    }),
    // Made (page on) at the first start that lacks them, a sandbox made before them included; later starts
    // keep what the user set.
    collective: await ensureEventType(
      app,
      workspaceId,
      previous.eventTypes?.collective?.id,
      !previous.eventTypes?.collective,
      {
        slug: 'team-call',
        title: 'Team call with Adele and Alex',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [members.adele, members.alex],
        assignment: 'collective',
        bookingPage: { enabled: true },
      },
    ),
    rooms: await ensureEventType(
      app,
      workspaceId,
      previous.eventTypes?.rooms?.id,
      !previous.eventTypes?.rooms,
      {
        slug: 'office-visit',
        title: 'Office visit with Adele (Redmond)',
        durationMinutes: 60,
        location: { kind: 'teams' },
        hostIds: [members.adele],
        assignment: 'single',
        rooms: { rooms: SANDBOX_ROOM_POOL, required: true },
        bookingPage: { enabled: true },
      },
    ),
  };

  const file: SandboxFile = {
    operatorToken: config.operatorToken!,
    apiKey,
    workspaceId,
    baseUrl: config.publicUrl,
    startUrl: `${config.publicUrl}/`,
    members,
    eventTypes,
    bookingPagesSeeded: true,
    emulator: { url: emulator.url, ...sandboxEmulatorFiles(config) },
  };
  writeFileSync(sandboxPath(config), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return { file, signedIn, notConnected, microsoftStartedAfresh, emulatorMoved };
}

async function demoWorkspace(
  app: NestFastifyApplication,
  config: AppConfig,
  previous: Partial<SandboxFile>,
): Promise<{ workspaceId: string; apiKey: string; found: boolean }> {
  if (previous.apiKey && previous.workspaceId) {
    try {
      const found = await app.get(AuthenticateApiKey).execute(previous.apiKey);
      if (found.workspaceId === previous.workspaceId)
        return { workspaceId: previous.workspaceId, apiKey: previous.apiKey, found: true };
    } catch {
      // The database was reset or the key revoked: a new demo workspace below.
    }
  }
  const created = await app
    .get(CreateWorkspace)
    .execute({ name: 'Demo workspace', returnUrl: `${config.publicUrl}/sandbox/return`, by: SERVICE });
  return { workspaceId: created.workspace.id, apiKey: created.apiKey, found: false };
}

/**
 * The workspace's return URL follows PUBLIC_URL: a sandbox started again on another address still has its
 * browser flows (the start page's connect buttons) end on this one, for return URLs must share its origin.
 */
async function returnToThisAddress(app: NestFastifyApplication, config: AppConfig, workspaceId: string) {
  const returnUrl = `${config.publicUrl}/sandbox/return`;
  const workspace = await app.get(GetWorkspace).execute({ workspaceId });
  if (workspace.returnUrl === returnUrl) return;
  await app.get(UpdateWorkspace).execute({ workspaceId, changes: { returnUrl } });
}

function addSpareAccounts(emulator: Emulator): void {
  const known = new Set(emulator.control.summary().users.map((u) => u.mail.toLowerCase()));
  for (const spare of SPARE_ACCOUNTS) {
    if (known.has(spare.mail)) continue;
    emulator.control.addUser({ tenantId: DEMO.tenantId, teamsLicence: true, ...spare });
  }
}

function addRooms(emulator: Emulator): void {
  const known = new Set(emulator.control.summary().users.map((u) => u.mail.toLowerCase()));
  for (const room of SANDBOX_ROOMS) {
    if (known.has(room.mail)) continue;
    emulator.control.addUser({ tenantId: DEMO.tenantId, kind: 'room', roomPolicy: 'autoAccept', ...room });
  }
}

/**
 * The member's real sign-in, as a browser would walk it: kailenty's authorize URL, the emulator's sign-in
 * (no browser: the account named by login_hint), and kailenty's own callback, which redeems the code
 * with MSAL, reads the mailbox and subscribes to its calendar. Returns the callback's result.
 */
export async function signIn(
  app: NestFastifyApplication,
  emulator: Emulator,
  workspaceId: string,
  memberId: string,
): Promise<string> {
  try {
    const { authorizeUrl } = await app.get(StartMicrosoftConnection).execute({ workspaceId, memberId });
    const callback = new URL(await emulator.control.signIn(authorizeUrl));
    // To the service's own listener over loopback (PUBLIC_URL may name a proxy in front of it).
    const { port } = app.getHttpServer().address() as { port: number };
    const answer = await fetch(`http://127.0.0.1:${port}${callback.pathname}${callback.search}`, {
      redirect: 'manual',
    });
    await answer.arrayBuffer();
    const location = answer.headers.get('location');
    const landed = location ? new URL(location) : null;
    if (!landed) return `the callback answered ${answer.status}`;
    const result = landed.searchParams.get('result');
    return result === 'connected' ? result : (landed.searchParams.get('code') ?? `result ${result}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function ensureEventType(
  app: NestFastifyApplication,
  workspaceId: string,
  knownId: string | undefined,
  seedPage: boolean,
  definition: EventTypeDefinition,
): Promise<SandboxEventTypeRef> {
  const repository = app.get(EventTypeRepository);
  let eventType = knownId ? await repository.findById(workspaceId, knownId) : null;
  if (!eventType) eventType = await findBySlug(repository, workspaceId, definition.slug);
  if (!eventType) eventType = (await app.get(CreateEventType).execute({ workspaceId, definition })).eventType;
  else if (seedPage && !eventType.bookingPageEnabled) {
    eventType = (
      await app.get(UpdateEventType).execute({
        workspaceId,
        eventTypeId: eventType.id,
        changes: { bookingPage: { enabled: true } },
      })
    ).eventType;
  }
  const s = eventType.toSnapshot();
  return {
    id: s.id,
    slug: s.slug,
    title: s.title,
    assignment: s.assignment,
    hostIds: [...s.hostIds],
    bookingUrl: app.get(PublicLinks).bookingPage(s.id),
  };
}

async function findBySlug(repository: EventTypeRepository, workspaceId: string, slug: string) {
  let cursor: string | undefined;
  do {
    const page = await repository.list(workspaceId, { limit: 200, cursor });
    const found = page.data.find((e) => e.slug === slug);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}
