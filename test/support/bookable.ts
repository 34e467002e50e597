// The start of most booking tests, through the API as a product would do it: a workspace, a host who is an
// active member signed in to Microsoft (through the emulator, as a browser would) and open every night
// (nightsOnlyPolicy, where the demo calendars are empty), and an event type the host offers.
import type { Emulator } from '../../emulator/emulator.js';
import { DEMO, activeMember, connectMember, nightsOnlyPolicy } from './microsoft.js';
import type { TestApp } from './test-app.js';

type TestWorkspace = Awaited<ReturnType<TestApp['workspace']>>;

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

/**
 * A member with `mail`, active, connected to Microsoft (a failed connection throws) and open every night
 * with `policy` changed as given; its id.
 */
export async function connectedMember(
  t: TestApp,
  emu: Emulator,
  apiKey: string,
  member: { mail: string; displayName?: string; policy?: Record<string, unknown> },
): Promise<string> {
  const id = await activeMember(t, apiKey, member.mail, member.displayName);
  const connected = await connectMember(t, emu, apiKey, id);
  const result = connected.location?.searchParams.get('result');
  if (result !== 'connected') {
    throw new Error(`${member.mail} did not connect: ${connected.status} ${connected.location?.toString()}`);
  }
  await t
    .http()
    .put(`/v1/members/${id}/availability`)
    .set(auth(apiKey))
    .send(nightsOnlyPolicy(member.policy))
    .expect(200);
  return id;
}

/**
 * An event type: a 30-minute Teams "Intro call" of the hosts given, one at a time, with a fresh slug, unless
 * `fields` say otherwise. The API's answer (201, or the test fails).
 */
export async function createEventType(
  t: TestApp,
  apiKey: string,
  hostIds: string[],
  fields: Record<string, unknown> = {},
): Promise<{ id: string; [field: string]: unknown }> {
  const created = await t
    .http()
    .post('/v1/event-types')
    .set(auth(apiKey))
    .send({
      slug: `intro-${Math.random().toString(36).slice(2, 8)}`,
      title: 'Intro call',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds,
      assignment: 'single',
      ...fields,
    })
    .expect(201);
  return created.body;
}

export interface BookableWorkspace {
  ws: TestWorkspace;
  hostId: string;
  eventTypeId: string;
  eventType: { id: string; [field: string]: unknown };
}

/** A workspace with one connected host (see connectedMember) and an event type of that host. */
export async function bookableWorkspace(
  t: TestApp,
  emu: Emulator,
  options: {
    mail: string;
    displayName?: string;
    workspaceName?: string;
    eventType?: Record<string, unknown>;
    /** Changes to the host's nights-only policy (see connectedMember). */
    policy?: Record<string, unknown>;
  },
): Promise<BookableWorkspace> {
  const ws = await t.workspace(options.workspaceName);
  const hostId = await connectedMember(t, emu, ws.apiKey, options);
  const eventType = await createEventType(t, ws.apiKey, [hostId], options.eventType);
  return { ws, hostId, eventTypeId: eventType.id, eventType };
}

/** A night three days ahead, UTC, at hh:mm, written as the API writes times (where emptyHost is open). */
export function night(hh: number, mm = 0): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  d.setUTCHours(hh, mm, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * A new host in the emulator's Contoso tenant with an empty calendar in UTC, open every night 00:00–06:00
 * (`policy` changes it): its member id and its mailbox (the emulator's user id, to aim faults at).
 */
export async function emptyHost(
  t: TestApp,
  emu: Emulator,
  apiKey: string,
  name = 'host',
  policy?: Record<string, unknown>,
): Promise<{ id: string; mailbox: string }> {
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `${name}.${tag}@${DEMO.tenantDomain}`,
    displayName: `${name} ${tag}`,
    timeZone: 'UTC',
    teamsLicence: true,
  });
  return { id: await connectedMember(t, emu, apiKey, { mail: user.mail, policy }), mailbox: user.id };
}
