// Change notifications end to end: the validation handshake to both URLs, change and lifecycle payloads
// delivered over real HTTP to a receiver, renewal limits, and the calendarView delta resync.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { connect, graphClient, msalFor, REDIRECT } from './helpers.js';

interface Received {
  path: string;
  query: URLSearchParams;
  contentType?: string;
  body: string;
}

let emu: Emulator;
let megan: Client;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** How the receiver answers validation requests: 'echo' like kailenty must, or a broken variant. */
let validationMode: 'echo' | 'json' | 'raw' | 'silent' = 'echo';

function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url!, 'http://x');
    received.push({
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      if (validationMode === 'silent') return; // never answers: Graph gives up after its timeout
      if (validationMode === 'json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(token));
      if (validationMode === 'raw')
        return res.writeHead(200, { 'content-type': 'text/plain' }).end(encodeURIComponent(token));
      return res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(token);
    }
    res.writeHead(202).end();
  });
}

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

beforeAll(async () => {
  receiver = createServer(handle);
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emu = await startEmulator({
    demo: { redirectUris: [REDIRECT], weeks: 1 },
    // Graph's 10 s would make the silent endpoint's test slow; 500 ms is short for a loaded machine's first
    // request (it timed out once in CI): the echoing endpoints get 5 s, the silent one 500 ms (set in its test).
    limits: { validationTimeoutMs: 5_000 },
  });
  const { accessToken } = await connect(
    emu,
    msalFor(emu, DEMO.clientId, DEMO.clientSecret),
    DEMO.users.megan.mail,
  );
  megan = graphClient(emu, async () => accessToken);
});
afterAll(async () => {
  await emu.close();
  await new Promise((r) => receiver.close(r));
});
beforeEach(() => {
  received.length = 0;
  validationMode = 'echo';
  emu.control.setLimits({ validationTimeoutMs: 5_000 });
});

const subscription = (extra: Record<string, unknown> = {}) => ({
  changeType: 'created,updated,deleted',
  notificationUrl: `${receiverUrl}/webhooks/microsoft/notifications`,
  lifecycleNotificationUrl: `${receiverUrl}/webhooks/microsoft/lifecycle`,
  resource: 'me/events',
  expirationDateTime: minutesFromNow(4000),
  clientState: 'secret-client-state',
  ...extra,
});

// microsoftgraph/microsoft-graph-docs-contrib concepts/change-notifications-delivery-webhooks.md and
// concepts/includes/change-notifications-delivery-notificationurl-validation.md (handshake: POST
// ?validationToken, 200 text/plain with the URL-decoded token within 10 s), api-reference/v1.0/api/subscription-post-subscriptions.md.
describe('subscriptions (M365.md "Change notifications")', () => {
  it('validates both URLs with a URL-encoded token that must be echoed decoded as text/plain, then answers 201', async () => {
    const sub = await megan.api('/subscriptions').post(subscription());
    expect(sub).toMatchObject({
      resource: 'me/events',
      changeType: 'created,updated,deleted',
      clientState: 'secret-client-state',
      applicationId: DEMO.clientId,
    });
    const validations = received.filter((r) => r.query.has('validationToken'));
    expect(validations.map((v) => v.path)).toEqual([
      '/webhooks/microsoft/notifications',
      '/webhooks/microsoft/lifecycle',
    ]);
    expect(validations[0].query.get('validationToken')).toMatch(/^Validation: /);
    expect(validations[0].contentType).toMatch(/^text\/plain/);
    await megan.api(`/subscriptions/${sub.id}`).delete();
  });

  it.each([
    ['an endpoint that answers JSON', 'json'],
    ['an endpoint that echoes the token still URL-encoded', 'raw'],
    ['an endpoint that does not answer in time', 'silent'],
  ] as const)('fails the create with 400 ValidationError for %s', async (_name, mode) => {
    validationMode = mode;
    if (mode === 'silent') emu.control.setLimits({ validationTimeoutMs: 500 });
    await expect(megan.api('/subscriptions').post(subscription())).rejects.toMatchObject({
      statusCode: 400,
      code: 'ValidationError',
    });
    expect(emu.control.subscriptions()).toHaveLength(0);
  });

  it('refuses an expiration beyond the maximum lifetime (4230 minutes by default) and renews within it', async () => {
    await expect(
      megan.api('/subscriptions').post(subscription({ expirationDateTime: minutesFromNow(4300) })),
    ).rejects.toMatchObject({ statusCode: 400 });
    const sub = await megan.api('/subscriptions').post(subscription());
    const renewed = await megan
      .api(`/subscriptions/${sub.id}`)
      .patch({ expirationDateTime: minutesFromNow(4200) });
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.parse(sub.expirationDateTime));
    // lifecycleNotificationUrl can only be set at creation.
    await expect(
      megan.api(`/subscriptions/${sub.id}`).patch({ lifecycleNotificationUrl: `${receiverUrl}/x` }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await megan.api(`/subscriptions/${sub.id}`).delete();
  });

  it('a subscription not renewed in time is gone (the emulator clock moved past its expiry)', async () => {
    const sub = await megan
      .api('/subscriptions')
      .post(subscription({ expirationDateTime: minutesFromNow(30) }));
    emu.control.advanceClock(31 * 60_000); // less than the access token's hour
    try {
      await expect(megan.api(`/subscriptions/${sub.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      emu.control.advanceClock(-31 * 60_000);
    }
  });

  it("a delegated token cannot subscribe to another user's mailbox", async () => {
    await expect(
      megan.api('/subscriptions').post(subscription({ resource: `users/${DEMO.users.alex.id}/events` })),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});

// microsoftgraph/microsoft-graph-docs-contrib concepts/change-notifications-delivery-webhooks.md (changeNotificationCollection payload) and
// concepts/change-notifications-lifecycle-events.md (lifecycle payload, /reauthorize, lifecycle URL set only at creation).
describe('notifications (M365.md payloads)', () => {
  let subId: string;
  beforeAll(async () => {
    subId = (await megan.api('/subscriptions').post(subscription())).id;
  });

  const notifications = () =>
    received
      .filter((r) => r.path === '/webhooks/microsoft/notifications' && !r.query.has('validationToken'))
      .map((r) => JSON.parse(r.body).value[0]);

  it('an event moved in Outlook is delivered as an `updated` notification with the real shape', async () => {
    const event = await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'Booked',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T10:30:00Z',
    });
    received.length = 0;
    await emu.control.updateEvent(event.id, { start: '2026-12-10T12:00:00Z', end: '2026-12-10T12:30:00Z' });
    const [n] = notifications();
    expect(n).toEqual({
      id: expect.any(String),
      subscriptionId: subId,
      subscriptionExpirationDateTime: expect.any(String),
      changeType: 'updated',
      resource: `Users/${DEMO.users.megan.id}/Events/${event.id}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Event',
        '@odata.id': `Users/${DEMO.users.megan.id}/Events/${event.id}`,
        '@odata.etag': expect.stringMatching(/^W\/"/),
        id: event.id,
      },
      clientState: 'secret-client-state',
      tenantId: DEMO.tenantId,
    });
  });

  it('an event deleted in Outlook is delivered as `deleted`; an event created through Graph as `created`', async () => {
    const event = await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      start: '2026-12-11T10:00:00Z',
      end: '2026-12-11T10:30:00Z',
      notify: false,
    });
    await emu.control.deleteEvent(event.id);
    expect(notifications().map((n) => n.changeType)).toEqual(['deleted']);
    received.length = 0;
    await megan.api('/me/events').post({
      subject: 'Via Graph',
      start: { dateTime: '2026-12-12T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-12T10:30:00', timeZone: 'UTC' },
    });
    await emu.control.idle();
    expect(notifications().map((n) => n.changeType)).toEqual(['created']);
  });

  it('lifecycle notifications: reauthorizationRequired, and subscriptionRemoved when Graph drops the subscription', async () => {
    await emu.control.sendLifecycle(subId, 'reauthorizationRequired');
    await megan.api(`/subscriptions/${subId}/reauthorize`).post({});
    await emu.control.removeSubscription(subId);
    const lifecycle = received
      .filter((r) => r.path === '/webhooks/microsoft/lifecycle')
      .map((r) => JSON.parse(r.body).value[0]);
    expect(lifecycle.map((l) => l.lifecycleEvent)).toEqual([
      'reauthorizationRequired',
      'subscriptionRemoved',
    ]);
    expect(lifecycle[1]).toMatchObject({
      subscriptionId: subId,
      tenantId: DEMO.tenantId,
      clientState: 'secret-client-state',
    });
    await expect(megan.api(`/subscriptions/${subId}`).get()).rejects.toMatchObject({ statusCode: 404 });
  });
});

// microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/event-delta.md (nextLink/deltaLink, @removed, Prefer odata.maxpagesize).
describe('calendarView/delta (M365.md "Resync with delta")', () => {
  const window = '?startDateTime=2027-01-04T00:00:00Z&endDateTime=2027-01-09T00:00:00Z';

  async function follow(first: string) {
    const items: Array<Record<string, unknown>> = [];
    let page = await megan.api(first).header('Prefer', 'odata.maxpagesize=2').get();
    for (;;) {
      items.push(...page.value);
      if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'] as string };
      page = await megan.api(page['@odata.nextLink']).header('Prefer', 'odata.maxpagesize=2').get();
    }
  }

  it('pages with nextLink to a deltaLink, then returns only changes, deletions as @removed', async () => {
    const a = await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'A',
      start: '2027-01-05T10:00:00Z',
      end: '2027-01-05T11:00:00Z',
      notify: false,
    });
    const b = await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'B',
      start: '2027-01-06T10:00:00Z',
      end: '2027-01-06T11:00:00Z',
      notify: false,
    });
    const initial = await follow(`/me/calendarView/delta${window}`);
    expect(initial.items.map((i) => i.subject)).toEqual(expect.arrayContaining(['A', 'B', 'Team stand-up']));
    expect(initial.items.length).toBeGreaterThan(2);

    await emu.control.updateEvent(a.id, {
      subject: 'A moved',
      start: '2027-01-05T14:00:00Z',
      end: '2027-01-05T15:00:00Z',
    });
    await emu.control.deleteEvent(b.id);
    const next = await follow(initial.deltaLink);
    expect(next.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.id, subject: 'A moved' }),
        { '@odata.type': '#microsoft.graph.event', id: b.id, '@removed': { reason: 'deleted' } },
      ]),
    );
    expect(next.items).toHaveLength(2);
  });

  it('an unknown delta token means start over (410 syncStateNotFound)', async () => {
    await expect(megan.api('/me/calendarView/delta?$deltatoken=unknown').get()).rejects.toMatchObject({
      statusCode: 410,
    });
  });
});
