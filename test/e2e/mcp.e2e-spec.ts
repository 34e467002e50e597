// The Model Context Protocol server at /mcp, called as an agent would: the SDK's own Client over Streamable
// HTTP on loopback, authenticated with a workspace API key, against the Microsoft 365 emulator. Tools find
// slots, book, read, reschedule and cancel through the same use cases as REST (the emulator's Outlook event
// follows); book and book_hold replay an idempotencyKey; find_slots names the hosts' zones from its own
// read; refusals are tool errors naming the stable code; no key or a bad key is a 401 before any MCP work;
// and one workspace's key sees nothing of another's.
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { bookableWorkspace, createEventType, emptyHost } from '../support/bookable.js';
import { GetAvailability } from '@application/availability/get-availability.use-case.js';

let emu: Emulator;
let t: TestApp;
let url: URL;
const clients: Client[] = [];

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
  url = new URL(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await t?.close();
  await emu?.close();
});

/** An MCP client of the app, connected (initialize, then initialized) with `Authorization: Bearer <apiKey>`. */
async function agent(apiKey?: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1' });
  const headers: Record<string, string> = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  clients.push(client);
  return client;
}

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  return (await client.callTool({ name, arguments: args })) as ToolAnswer;
}

/** The JSON a tool answered (the test fails on a tool error, showing its text). */
async function result<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const answer = await call(client, name, args);
  expect([name, answer.isError ?? false, answer.content[0]?.text]).toEqual([name, false, expect.any(String)]);
  return JSON.parse(answer.content[0]!.text) as T;
}

/** The text of a tool error (the test fails on a success). */
async function refusal(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const answer = await call(client, name, args);
  expect([name, answer.isError]).toEqual([name, true]);
  return answer.content[0]!.text;
}

/** A few days ahead, inside the emulator's seeded week, at night (when the hosts are open). */
function window() {
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(0, 0, 0, 0);
  return { start: start.toISOString(), end: new Date(start.getTime() + 2 * 86_400_000).toISOString() };
}

const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'europe/paris' };

describe('the MCP server at /mcp', () => {
  it('lists its tools, each with a description and an input schema an agent reads', async () => {
    const { ws } = await bookableWorkspace(t, emu, { mail: DEMO.users.adele.mail });
    const client = await agent(ws.apiKey);
    expect(client.getServerVersion()?.name).toBe('kailenty');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        'book',
        'book_hold',
        'cancel_booking',
        'explain_time',
        'find_slots',
        'get_booking',
        'list_bookings',
        'list_event_types',
        'place_hold',
        'release_hold',
        'reschedule_booking',
      ].sort(),
    );
    for (const tool of tools) expect([tool.name, tool.description!.length > 20]).toEqual([tool.name, true]);
    const book = tools.find((tool) => tool.name === 'book')!;
    expect(book.inputSchema.required).toEqual(expect.arrayContaining(['eventTypeId', 'start', 'guest']));
    expect(book.inputSchema.properties).toMatchObject({
      eventTypeId: { type: 'string', description: expect.any(String) },
      guest: { type: 'object', properties: { email: { description: expect.stringContaining('email') } } },
    });
    expect(tools.find((tool) => tool.name === 'find_slots')!.annotations).toMatchObject({
      readOnlyHint: true,
    });
    expect(tools.find((tool) => tool.name === 'cancel_booking')!.annotations).toMatchObject({
      destructiveHint: true,
    });
  });

  it('finds slots with their hosts and zones, books one, reads, reschedules and cancels it, as REST does', async () => {
    const { ws, hostId, eventTypeId } = await bookableWorkspace(t, emu, {
      mail: DEMO.users.megan.mail,
      // UTC all year, under another name than the viewer's: the host's zone is the host's own.
      policy: { timeZone: 'Atlantic/Reykjavik' },
    });
    const client = await agent(ws.apiKey);

    const types = await result(client, 'list_event_types', {});
    expect(types.data.map((e: { id: string }) => e.id)).toEqual([eventTypeId]);
    expect(types.data[0]).toMatchObject({ title: 'Intro call', durationMinutes: 30, hostIds: [hostId] });

    const found = await result(client, 'find_slots', { eventTypeId, ...window(), timeZone: 'Asia/Tokyo' });
    expect(found.timeZone).toBe('Asia/Tokyo');
    expect(Date.now() - Date.parse(found.asOf)).toBeLessThan(60_000);
    expect(found.asOf).toMatch(/\+09:00$/);
    expect(found.warnings).toEqual([]);
    expect(found.slots.length).toBeGreaterThan(2);
    expect(found.slots[0]).toEqual({
      start: expect.stringMatching(/\+09:00$/),
      end: expect.stringMatching(/\+09:00$/),
      hosts: [{ memberId: hostId, timeZone: 'Atlantic/Reykjavik' }],
    });
    // The same slots as the REST API's, host for host.
    const rest = await t
      .http()
      .get(`/v1/event-types/${eventTypeId}/slots`)
      .query({ ...window(), timeZone: 'Asia/Tokyo' })
      .set('Authorization', `Bearer ${ws.apiKey}`)
      .expect(200);
    expect(found.slots.map((s: { start: string }) => s.start)).toEqual(
      rest.body.slots.map((s: { start: string }) => s.start),
    );

    const [first, second] = found.slots as { start: string }[];
    const explained = await result(client, 'explain_time', { eventTypeId, at: first!.start });
    expect(explained).toMatchObject({ offered: true, hosts: [{ hostId, offered: true, reasons: [] }] });

    const booked = await result(client, 'book', {
      eventTypeId,
      start: first!.start,
      guest,
      note: 'Booked by an agent',
    });
    expect(booked).toMatchObject({
      status: 'confirmed',
      eventTypeId,
      hostId,
      start: new Date(first!.start).toISOString().replace('.000Z', 'Z'),
      guest: { ...guest, timeZone: 'Europe/Paris' },
      note: 'Booked by an agent',
      location: { kind: 'teams', joinUrl: expect.stringMatching(/^https:\/\//) },
      calendar: { syncStatus: 'synced', eventId: expect.any(String) },
    });
    const restView = await t
      .http()
      .get(`/v1/bookings/${booked.id}`)
      .set('Authorization', `Bearer ${ws.apiKey}`)
      .expect(200);
    expect(restView.body).toEqual(booked);
    expect(await result(client, 'get_booking', { bookingId: booked.id })).toEqual(booked);
    const event = () => emu.control.events(DEMO.users.megan.id).find((e) => e.id === booked.calendar.eventId);
    expect(event()).toMatchObject({ subject: expect.stringContaining(guest.name) });

    // The time just booked is no longer offered, and booking it again is refused with its code.
    const again = await result(client, 'find_slots', { eventTypeId, ...window() });
    expect(again.slots.map((s: { start: string }) => s.start)).not.toContain(booked.start);
    expect(await refusal(client, 'book', { eventTypeId, start: first!.start, guest })).toBe(
      'SLOT_UNAVAILABLE: This time is not available (anymore). Please choose another slot.',
    );

    const moved = await result(client, 'reschedule_booking', { bookingId: booked.id, start: second!.start });
    expect(moved).toMatchObject({
      id: booked.id,
      status: 'confirmed',
      calendar: { eventId: booked.calendar.eventId },
    });
    expect(Date.parse(moved.start)).toBe(Date.parse(second!.start));
    expect(Date.parse(`${(event()!.start as { dateTime: string }).dateTime}Z`)).toBe(
      Date.parse(second!.start),
    );

    const listed = await result(client, 'list_bookings', { status: 'confirmed' });
    expect(listed.data.map((b: { id: string }) => b.id)).toEqual([booked.id]);

    const cancelled = await result(client, 'cancel_booking', {
      bookingId: booked.id,
      reason: 'Plans changed',
    });
    expect(cancelled).toMatchObject({
      id: booked.id,
      status: 'cancelled',
      cancellationReason: 'Plans changed',
    });
    const cancel = emu.control
      .requests({ method: 'POST' })
      .filter(
        (r) => r.path.endsWith('/cancel') && (r.body as { comment?: string }).comment === 'Plans changed',
      );
    expect(cancel).toHaveLength(1);
    expect((await result(client, 'list_bookings', { status: 'confirmed' })).data).toEqual([]);
  });

  it('holds a start (it leaves find_slots), books the hold, and releases another (it comes back)', async () => {
    const { ws, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users.alex.mail });
    const client = await agent(ws.apiKey);
    const starts = async () =>
      ((await result(client, 'find_slots', { eventTypeId, ...window() })).slots as { start: string }[]).map(
        (s) => s.start,
      );
    const [first, second] = await starts();

    const held = await result(client, 'place_hold', { eventTypeId, start: first, expiresInSeconds: 120 });
    expect(held).toMatchObject({ eventTypeId, start: first, status: 'held', bookingId: null });
    expect(await starts()).not.toContain(first);
    const booked = await result(client, 'book_hold', {
      holdId: held.id,
      guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
    });
    expect(booked).toMatchObject({ status: 'confirmed', start: first });
    expect(
      await refusal(client, 'book_hold', { holdId: held.id, guest: { name: 'J', email: 'j@example.com' } }),
    ).toMatch(/^HOLD_EXPIRED: /);

    const other = await result(client, 'place_hold', { eventTypeId, start: second });
    expect(await starts()).not.toContain(second);
    expect(await result(client, 'release_hold', { holdId: other.id })).toMatchObject({ status: 'released' });
    expect(await starts()).toContain(second);
  });

  it('a collective event type: find_slots names every host, explain answers per host, book takes them all, a hold is refused with what to do', async () => {
    const ws = await t.workspace();
    const [ada, bea] = [await emptyHost(t, emu, ws.apiKey, 'ada'), await emptyHost(t, emu, ws.apiKey, 'bea')];
    const { id: eventTypeId } = await createEventType(t, ws.apiKey, [ada.id, bea.id], {
      assignment: 'collective',
    });
    const client = await agent(ws.apiKey);
    const found = await result(client, 'find_slots', { eventTypeId, ...window() });
    const slots = found.slots as { start: string; hosts: { memberId: string; timeZone: string }[] }[];
    expect(slots.length).toBeGreaterThan(1);
    for (const slot of slots)
      expect(slot.hosts).toEqual([
        { memberId: ada.id, timeZone: 'UTC' },
        { memberId: bea.id, timeZone: 'UTC' },
      ]);
    const [first, second] = slots;

    const explained = await result(client, 'explain_time', { eventTypeId, at: first!.start });
    expect(explained).toMatchObject({ offered: true });
    expect(explained.hosts.map((h: { hostId: string }) => h.hostId)).toEqual([ada.id, bea.id]);

    // The agent can know before it tries: place_hold says so in its description.
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'place_hold')!.description).toContain(
      'A collective event type (assignment collective: every host at once) cannot be held: book it directly.',
    );
    const held = await refusal(client, 'place_hold', { eventTypeId, start: second!.start });
    expect(held).toMatch(/^VALIDATION_FAILED: /);
    expect(held).toContain('- eventTypeId: a collective event type cannot be held: book it directly');

    const booked = await result(client, 'book', { eventTypeId, start: first!.start, guest });
    expect(booked).toMatchObject({
      status: 'confirmed',
      start: first!.start,
      hostId: ada.id,
      hostIds: [ada.id, bea.id],
    });
    const again = await result(client, 'find_slots', { eventTypeId, ...window() });
    expect(again.slots.map((s: { start: string }) => s.start)).not.toContain(first!.start);
    const blocked = await result(client, 'explain_time', { eventTypeId, at: first!.start });
    expect(blocked.offered).toBe(false);
  });

  it('a room event type: find_slots and explain offer a start, book and a hold booked later take a room of the pool, none free is refused', async () => {
    const ws = await t.workspace();
    const host = await emptyHost(t, emu, ws.apiKey, 'roomhost');
    const tag = Math.random().toString(36).slice(2, 8);
    const rooms = ['Harbour', 'Lighthouse'].map((name) =>
      emu.control.addUser({
        tenantId: DEMO.tenantId,
        mail: `${name.toLowerCase()}.${tag}@${DEMO.tenantDomain}`,
        displayName: name,
        kind: 'room',
      }),
    );
    const { id: eventTypeId } = await createEventType(t, ws.apiKey, [host.id], {
      rooms: { rooms: rooms.map((r) => ({ email: r.mail, name: r.displayName })), required: true },
    });
    const client = await agent(ws.apiKey);
    const starts = async () =>
      ((await result(client, 'find_slots', { eventTypeId, ...window() })).slots as { start: string }[]).map(
        (s) => s.start,
      );
    const [first, second] = await starts();
    expect(await result(client, 'explain_time', { eventTypeId, at: first })).toMatchObject({ offered: true });

    const booked = await result(client, 'book', { eventTypeId, start: first, guest });
    expect(booked).toMatchObject({ status: 'confirmed', room: { email: rooms[0]!.mail, name: 'Harbour' } });

    const held = await result(client, 'place_hold', { eventTypeId, start: second });
    expect(await starts()).not.toContain(second);
    const fromHold = await result(client, 'book_hold', { holdId: held.id, guest });
    expect(fromHold).toMatchObject({ status: 'confirmed', start: second, room: { name: 'Harbour' } });

    // With both rooms taken at a time in Outlook, booking it is refused: the booking reads the rooms afresh
    // (find_slots may still offer it for up to 30 s: nothing notifies kailenty of a room's calendar).
    const [, , third] = await starts();
    for (const room of rooms)
      await emu.control.addEvent({
        userId: room.id,
        start: third!,
        end: new Date(Date.parse(third!) + 3_600_000).toISOString(),
        showAs: 'busy',
      });
    expect(await refusal(client, 'book', { eventTypeId, start: third, guest })).toMatch(
      /^SLOT_UNAVAILABLE: /,
    );
  });

  it('explain_time and place_hold know rooms: a held room is the reason the other event type’s start is not offered', async () => {
    const ws = await t.workspace();
    const room = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `room.${Math.random().toString(36).slice(2, 8)}@${DEMO.tenantDomain}`,
      displayName: 'Attic',
      kind: 'room',
    });
    const rooms = { rooms: [{ email: room.mail, name: 'Attic' }], required: true };
    const [a, b] = [
      (await createEventType(t, ws.apiKey, [(await emptyHost(t, emu, ws.apiKey)).id], { rooms })).id,
      (await createEventType(t, ws.apiKey, [(await emptyHost(t, emu, ws.apiKey)).id], { rooms })).id,
    ];
    const client = await agent(ws.apiKey);
    const [first] = (await result(client, 'find_slots', { eventTypeId: a, ...window() })).slots as {
      start: string;
    }[];
    const attic = { email: room.mail.toLowerCase(), name: 'Attic' };
    expect(await result(client, 'explain_time', { eventTypeId: b, at: first!.start })).toMatchObject({
      offered: true,
      room: attic,
    });
    const held = await result(client, 'place_hold', { eventTypeId: a, start: first!.start });
    expect(held.room).toEqual(attic);
    const explained = await result(client, 'explain_time', { eventTypeId: b, at: first!.start });
    expect(explained).toMatchObject({ offered: false, room: null });
    expect(explained.hosts[0].reasons).toEqual([
      expect.objectContaining({
        code: 'room',
        rooms: [
          expect.objectContaining({
            email: attic.email,
            busy: [expect.objectContaining({ bookingId: held.id })],
          }),
        ],
      }),
    ]);
  });

  it('book and book_hold take an idempotencyKey as REST takes Idempotency-Key: the first outcome again, once', async () => {
    const ws = await t.workspace();
    const host = await emptyHost(t, emu, ws.apiKey, 'mcp');
    const { id: eventTypeId } = await createEventType(t, ws.apiKey, [host.id]);
    const client = await agent(ws.apiKey);
    const [first, second, third] = (
      (await result(client, 'find_slots', { eventTypeId, ...window() })).slots as { start: string }[]
    ).map((s) => s.start);
    const args = { eventTypeId, start: first, guest, idempotencyKey: 'agent-retry-1' };
    const booked = await result(client, 'book', args);
    // A retry (the agent lost the answer) is the same booking, not a second one nor SLOT_UNAVAILABLE.
    expect(await result(client, 'book', args)).toEqual(booked);
    expect(await refusal(client, 'book', { ...args, start: second })).toMatch(/^IDEMPOTENCY_KEY_REUSED: /);
    // A refusal is replayed too: the same key never turns it into a booking later.
    const taken = { eventTypeId, start: first, guest, idempotencyKey: 'agent-retry-2' };
    expect(await refusal(client, 'book', taken)).toMatch(/^SLOT_UNAVAILABLE: /);
    await result(client, 'cancel_booking', { bookingId: booked.id });
    expect(await refusal(client, 'book', taken)).toMatch(/^SLOT_UNAVAILABLE: /);
    // Keys are per tool and workspace: the REST endpoint's key space is its own.
    const held = await result(client, 'place_hold', { eventTypeId, start: third });
    const fromHold = { holdId: held.id, guest, idempotencyKey: 'agent-retry-1' };
    const bookedHold = await result(client, 'book_hold', fromHold);
    expect(bookedHold).toMatchObject({ status: 'confirmed', start: third });
    expect(await result(client, 'book_hold', fromHold)).toEqual(bookedHold);
    const listed = await result(client, 'list_bookings', { status: 'confirmed' });
    expect(listed.data.map((b: { id: string }) => b.id)).toEqual([bookedHold.id]);
    expect(await refusal(client, 'book', { ...args, idempotencyKey: '' })).toMatch(/idempotencyKey/);
  });

  it('find_slots names each offered host’s zone from the slots’ own read, with no availability read per host', async () => {
    const ws = await t.workspace();
    const reykjavik = (await emptyHost(t, emu, ws.apiKey, 'mcp', { timeZone: 'Atlantic/Reykjavik' })).id;
    const abidjan = (await emptyHost(t, emu, ws.apiKey, 'mcp', { timeZone: 'Africa/Abidjan' })).id;
    const { id: eventTypeId } = await createEventType(t, ws.apiKey, [reykjavik, abidjan], {
      assignment: 'round_robin',
    });
    const client = await agent(ws.apiKey);
    const reads = jest.spyOn(t.app.get(GetAvailability), 'execute');
    try {
      const found = await result(client, 'find_slots', { eventTypeId, ...window() });
      const hosts = new Map<string, string>();
      for (const slot of found.slots as { hosts: { memberId: string; timeZone: string }[] }[])
        for (const h of slot.hosts) hosts.set(h.memberId, h.timeZone);
      expect(Object.fromEntries(hosts)).toEqual({
        [reykjavik]: 'Atlantic/Reykjavik',
        [abidjan]: 'Africa/Abidjan',
      });
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses bad input as tool errors that name the code and the field, and changes nothing', async () => {
    const { ws, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users.adele.mail });
    const client = await agent(ws.apiKey);
    const { slots } = await result(client, 'find_slots', { eventTypeId, ...window() });
    const start = slots[0].start as string;

    expect(
      await refusal(client, 'find_slots', {
        eventTypeId: '00000000-0000-4000-8000-000000000000',
        ...window(),
      }),
    ).toBe('NOT_FOUND: Event type was not found.');
    expect(
      await refusal(client, 'book', {
        eventTypeId,
        start,
        guest: { name: 'Jordan', email: 'not an address' },
      }),
    ).toBe('VALIDATION_FAILED: The request is not valid.\n- guest.email: must be an email address');
    expect(
      await refusal(client, 'find_slots', {
        eventTypeId,
        start: window().start,
        end: new Date(Date.parse(window().start) + 63 * 86_400_000).toISOString(),
      }),
    ).toMatch(/^RANGE_TOO_LARGE: end - start must be at most 62 days\.\n- end: /);
    // What does not fit the tool's schema is refused by the SDK before any use case runs, naming the field.
    expect(await refusal(client, 'book', { eventTypeId, start: '2026-12-01T09:00:00', guest })).toMatch(
      /start/,
    );
    expect(await refusal(client, 'get_booking', { bookingId: 'nope' })).toMatch(/must be a UUID.*bookingId/);

    expect((await result(client, 'list_bookings', {})).data).toEqual([]);
  });

  it("does not find another workspace's booking, nor cancel it", async () => {
    const mine = await bookableWorkspace(t, emu, { mail: DEMO.users.alex.mail });
    const theirs = await t.workspace();
    const client = await agent(mine.ws.apiKey);
    const { slots } = await result(client, 'find_slots', { eventTypeId: mine.eventTypeId, ...window() });
    const booked = await result(client, 'book', {
      eventTypeId: mine.eventTypeId,
      start: slots[0].start,
      guest,
    });

    const other = await agent(theirs.apiKey);
    expect(await refusal(other, 'get_booking', { bookingId: booked.id })).toBe(
      'NOT_FOUND: Booking was not found.',
    );
    expect(await refusal(other, 'cancel_booking', { bookingId: booked.id })).toBe(
      'NOT_FOUND: Booking was not found.',
    );
    expect(await refusal(other, 'find_slots', { eventTypeId: mine.eventTypeId, ...window() })).toBe(
      'NOT_FOUND: Event type was not found.',
    );
    expect((await result(other, 'list_bookings', {})).data).toEqual([]);
    expect(await result(client, 'get_booking', { bookingId: booked.id })).toMatchObject({
      status: 'confirmed',
    });
  });

  it('answers 401 without a workspace API key or with a bad one, before any MCP work', async () => {
    await expect(agent()).rejects.toMatchObject({ code: 401 });
    await expect(agent('kly_not-a-key')).rejects.toMatchObject({ code: 401 });
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const res = await t
      .http()
      .post('/mcp')
      .set('Accept', 'application/json, text/event-stream')
      .set('Authorization', 'Bearer kly_not-a-key')
      .send(initialize);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', instance: '/mcp' });
  });

  it('keeps the API headers, and answers 405 to GET and DELETE (stateless: no stream, no session)', async () => {
    const { ws } = await t.workspace().then((w) => ({ ws: w }));
    const auth = { Authorization: `Bearer ${ws.apiKey}` };
    const res = await t
      .http()
      .post('/mcp')
      .set(auth)
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': expect.stringMatching(/^application\/json/),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-request-id': expect.any(String),
      'ratelimit-limit': expect.any(String),
    });
    expect(res.headers['mcp-session-id']).toBeUndefined();
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: 7, result: { tools: expect.any(Array) } });

    for (const method of ['get', 'delete'] as const) {
      const refused = await t.http()[method]('/mcp').set(auth).set('Accept', 'text/event-stream');
      expect([method, refused.status, refused.body.code, refused.headers.allow]).toEqual([
        method,
        405,
        'METHOD_NOT_ALLOWED',
        'POST',
      ]);
    }
    const empty = await t.http().post('/mcp').set(auth).set('Content-Type', 'application/json').send('');
    expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
