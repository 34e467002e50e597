// The real @microsoft/microsoft-graph-client against the emulator's Graph over HTTPS: profile, mailbox
// settings, calendar, free/busy, events with Teams and transactionId, faults and batching.
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { createTrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';
import { connect, graphClient, msalFor, REDIRECT } from './helpers.js';

let emu: Emulator;
let megan: Client;
let alex: Client;
let meganToken: string;
const tokens = new Map<string, string>();

const day = (offsetDays: number, hhmm = '00:00') => {
  const d = new Date(Date.UTC(2026, 11, 1 + offsetDays));
  return `${d.toISOString().slice(0, 10)}T${hhmm}:00`;
};

beforeAll(async () => {
  emu = await startEmulator({
    demo: { redirectUris: [REDIRECT], from: new Date('2026-12-01T00:00:00Z'), weeks: 2 },
  });
  const cca = msalFor(emu, DEMO.clientId, DEMO.clientSecret);
  for (const who of [DEMO.users.megan.mail, DEMO.users.alex.mail])
    tokens.set(who, (await connect(emu, cca, who)).accessToken);
  meganToken = tokens.get(DEMO.users.megan.mail)!;
  megan = graphClient(emu, async () => tokens.get(DEMO.users.megan.mail)!);
  alex = graphClient(emu, async () => tokens.get(DEMO.users.alex.mail)!);
});
afterAll(() => emu.close());
afterEach(() => emu.control.clearFaults());

// microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/user-get.md, api-reference/v1.0/api/user-get-mailboxsettings.md,
// api-reference/v1.0/resources/calendar.md (allowedOnlineMeetingProviders).
describe('profile, mailbox settings, calendar', () => {
  it('GET /me answers the signed-in user (bearer token checked)', async () => {
    const me = await megan.api('/me').get();
    expect(me).toMatchObject({
      id: DEMO.users.megan.id,
      mail: DEMO.users.megan.mail,
      userPrincipalName: DEMO.users.megan.mail,
    });
    const log = emu.control.requests({ pathPrefix: '/v1.0/me' }).at(-1)!;
    expect(log.userId).toBe(DEMO.users.megan.id);
  });

  it('mailboxSettings.timeZone is a Windows name (M365.md "Free/busy")', async () => {
    const settings = await megan.api('/me/mailboxSettings').get();
    expect(settings.timeZone).toBe('W. Europe Standard Time');
    expect(settings.workingHours.timeZone.name).toBe('W. Europe Standard Time');
  });

  it('a custom zone name that CLDR windowsZones does not know is reported as Exchange stores it', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'cu@contoso.com',
      displayName: 'Cu',
      timeZone: 'Customized Time Zone',
    });
    const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), user.mail);
    const settings = await graphClient(emu, async () => accessToken)
      .api('/me/mailboxSettings')
      .get();
    expect(settings.timeZone).toBe('Customized Time Zone');
  });

  it('calendar.allowedOnlineMeetingProviders follows the Teams licence (M365.md "Events and Teams")', async () => {
    expect((await megan.api('/me/calendar').get()).allowedOnlineMeetingProviders).toEqual([
      'teamsForBusiness',
    ]);
    const alexCalendar = await alex.api('/me/calendar').get();
    expect(alexCalendar.allowedOnlineMeetingProviders).not.toContain('teamsForBusiness');
  });

  it("another user's mailbox is not readable with delegated Calendars scopes (ErrorAccessDenied)", async () => {
    await expect(megan.api(`/users/${DEMO.users.alex.id}/calendar`).get()).rejects.toMatchObject({
      statusCode: 403,
      code: 'ErrorAccessDenied',
    });
  });
});

describe('getSchedule (microsoft-graph-docs-contrib api-reference/v1.0/api/calendar-getschedule.md)', () => {
  const request = (schedules: string[], fromDay: number, toDay: number, interval = 30) => ({
    schedules,
    startTime: { dateTime: day(fromDay), timeZone: 'UTC' },
    endTime: { dateTime: day(toDay), timeZone: 'UTC' },
    availabilityViewInterval: interval,
  });

  it('answers per schedule: availabilityView, scheduleItems with statuses, workingHours; an unknown address gets an error', async () => {
    const res = await megan
      .api('/me/calendar/getSchedule')
      .post(request([DEMO.users.megan.mail, DEMO.users.room.mail, 'nobody@contoso.com'], 0, 7, 60));
    const [mine, room, unknown] = res.value;
    expect(mine.scheduleId).toBe(DEMO.users.megan.mail);
    expect(mine.availabilityView).toHaveLength(7 * 24);
    expect(mine.availabilityView).toMatch(/^[0-4]+$/);
    for (const item of mine.scheduleItems) {
      expect(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']).toContain(item.status);
      expect(item.start.timeZone).toBe('UTC');
      expect(item.start.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000$/);
    }
    // Recurring series come expanded: the weekday stand-up appears once per working day.
    expect(
      mine.scheduleItems.filter((i: { subject?: string }) => i.subject === 'Team stand-up').length,
    ).toBeGreaterThanOrEqual(5);
    expect(mine.workingHours.timeZone.name).toBe('W. Europe Standard Time');
    // Rooms are queried the same way.
    expect(room.scheduleItems.length).toBeGreaterThan(0);
    expect(unknown.error.responseCode).toBeTruthy();
    expect(unknown.scheduleItems).toEqual([]);
  });

  it('private items carry isPrivate and no subject', async () => {
    await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'Doctor',
      start: `${day(20, '10:00')}Z`,
      end: `${day(20, '11:00')}Z`,
      sensitivity: 'private',
    });
    const res = await megan.api('/me/calendar/getSchedule').post(request([DEMO.users.megan.mail], 20, 21));
    const item = res.value[0].scheduleItems.find((i: { isPrivate: boolean }) => i.isPrivate);
    expect(item).toMatchObject({ isPrivate: true, status: 'busy' });
    expect(item.subject).toBeUndefined();
  });

  it('writes times in the zone of Prefer: outlook.timezone', async () => {
    await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'Zoned',
      start: `${day(21, '17:00')}Z`,
      end: `${day(21, '18:00')}Z`,
    });
    const res = await megan
      .api('/me/calendar/getSchedule')
      .header('Prefer', 'outlook.timezone="Pacific Standard Time"')
      .post(request([DEMO.users.megan.mail], 21, 22));
    const item = res.value[0].scheduleItems.find((i: { subject?: string }) => i.subject === 'Zoned');
    expect(item.start).toEqual({
      dateTime: `${day(21, '09:00')}.0000000`,
      timeZone: 'Pacific Standard Time',
    });
  });

  it('works on /users/{id}/calendar/getSchedule too', async () => {
    const res = await megan
      .api(`/users/${DEMO.users.megan.id}/calendar/getSchedule`)
      .post(request([DEMO.users.alex.mail], 0, 1));
    expect(res.value[0].scheduleId).toBe(DEMO.users.alex.mail);
  });

  it('refuses a window over 62 days (ErrorTimeIntervalTooBig) and too many schedules (ErrorMailboxDataArrayTooBig)', async () => {
    await expect(
      megan.api('/me/calendar/getSchedule').post(request([DEMO.users.megan.mail], 0, 63)),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'ErrorTimeIntervalTooBig',
    });
    await expect(
      megan.api('/me/calendar/getSchedule').post(request([DEMO.users.megan.mail], 0, 62)),
    ).resolves.toBeDefined();
    emu.control.setLimits({ maxSchedulesPerRequest: 20 });
    const twentyOne = Array.from({ length: 21 }, (_, i) => `person${i}@contoso.com`);
    await expect(megan.api('/me/calendar/getSchedule').post(request(twentyOne, 0, 1))).rejects.toMatchObject({
      code: 'ErrorMailboxDataArrayTooBig',
    });
    emu.control.setLimits({ maxSchedulesPerRequest: 100 });
    const many = Array.from({ length: 101 }, (_, i) => `person${i}@contoso.com`);
    await expect(megan.api('/me/calendar/getSchedule').post(request(many, 0, 1))).rejects.toMatchObject({
      statusCode: 400,
      code: 'ErrorMailboxDataArrayTooBig',
    });
  });
});

// microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/user-post-events.md, api-reference/v1.0/resources/event.md (transactionId,
// onlineMeeting), api-reference/v1.0/api/event-update.md, event-cancel.md, event-delete.md; retries:
// microsoftgraph/msgraph-sdk-javascript src/middleware/RetryHandler.ts (429/503/504, Retry-After, POST included).
describe('events and Teams (M365.md "Events and Teams")', () => {
  const booking = (extra: Record<string, unknown> = {}) => ({
    subject: 'Intro call',
    body: { contentType: 'HTML', content: '<p>Booked with kailenty</p>' },
    start: { dateTime: day(3, '14:00'), timeZone: 'UTC' },
    end: { dateTime: day(3, '14:30'), timeZone: 'UTC' },
    attendees: [{ emailAddress: { address: 'guest@example.com', name: 'Guest' }, type: 'required' }],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    ...extra,
  });

  it('a licensed organizer gets a Teams join URL; the event has id, iCalUId, webLink, @odata.etag', async () => {
    const created = await megan.api('/me/events').post(booking({ transactionId: 'tx-teams-1' }));
    expect(created).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: 'tx-teams-1',
    });
    expect(created.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(created.id).toMatch(/^AAMkA/);
    expect(created.iCalUId).toBeTruthy();
    expect(created.webLink).toContain(encodeURIComponent(created.id));
    expect(created['@odata.etag']).toMatch(/^W\/"/);
    expect(created.attendees[0].emailAddress.address).toBe('guest@example.com');
  });

  it('finds an event by transactionId with $filter', async () => {
    const created = await megan.api('/me/events').post(booking({ transactionId: 'tx-filter-1' }));
    const found = await megan.api('/me/events').filter("transactionId eq 'tx-filter-1'").get();
    expect(found.value.map((e: { id: string }) => e.id)).toEqual([created.id]);
    await expect(megan.api('/me/events').filter("startswith(subject,'x')").get()).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('no Teams licence is not an error: 201 with isOnlineMeeting false and no onlineMeeting', async () => {
    const created = await alex.api('/me/events').post(booking());
    expect(created.isOnlineMeeting).toBe(false);
    expect(created.onlineMeeting).toBeNull();
  });

  it('a user who loses the Teams licence gets plain events from then on', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'lee@contoso.com',
      displayName: 'Lee',
      timeZone: 'UTC',
      teamsLicence: true,
    });
    const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), user.mail);
    const lee = graphClient(emu, async () => accessToken);
    expect((await lee.api('/me/events').post(booking())).onlineMeeting.joinUrl).toBeTruthy();
    emu.control.setTeamsLicence(user.id, false);
    expect((await lee.api('/me/events').post(booking())).onlineMeeting).toBeNull();
    expect((await lee.api('/me/calendar').get()).allowedOnlineMeetingProviders).toEqual([]);
  });

  it('a late answer (afterHandler + latencyMs): the event exists before the client hears of it', async () => {
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events', userId: DEMO.users.megan.id },
      latencyMs: 400,
      afterHandler: true,
    });
    const created = await megan
      .api('/me/events')
      .post(booking({ transactionId: 'tx-late-1', subject: 'Late' }));
    const heardAt = Date.now();
    expect(created.subject).toBe('Late');
    // The event's own creation time says when it was written: 400 ms before the client heard (less a
    // millisecond or two between the timer's clock and Date's). A loaded machine only makes that longer.
    const [written] = emu.control.events(DEMO.users.megan.id).filter((e) => e.transactionId === 'tx-late-1');
    expect(heardAt - Date.parse(written!.createdDateTime)).toBeGreaterThanOrEqual(390);
    // The emulator logs a request once its answer is sent: let that happen before the next test reads the log.
    const logged = () =>
      emu.control.requests({ pathPrefix: '/v1.0/me/events', method: 'POST' }).some((r) => r.faultId);
    for (let i = 0; i < 50 && !logged(); i++) await new Promise((r) => setTimeout(r, 10));
  });

  it('a POST retried after a 429 (Retry-After honoured by graph-client RetryHandler) creates one event thanks to transactionId', async () => {
    // The 429 arrives after the event was written: the case a retried POST duplicates without transactionId.
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events', userId: DEMO.users.megan.id },
      status: 429,
      retryAfter: 0,
      times: 1,
      afterHandler: true,
    });
    emu.control.clearRequests();
    const created = await megan
      .api('/me/events')
      .post(booking({ transactionId: 'tx-retry-1', subject: 'Retried' }));
    const posts = emu.control.requests({ pathPrefix: '/v1.0/me/events', method: 'POST' });
    expect(posts.map((p) => p.status)).toEqual([429, 201]);
    const again = await megan
      .api('/me/events')
      .post(booking({ transactionId: 'tx-retry-1', subject: 'Retried' }));
    expect(again.id).toBe(created.id);
    expect(
      emu.control.events(DEMO.users.megan.id).filter((e) => e.transactionId === 'tx-retry-1'),
    ).toHaveLength(1);
  });

  it('a PATCH without body keeps the join URL; a PATCH with body replaces the Teams meeting', async () => {
    const created = await megan.api('/me/events').post(booking());
    const moved = await megan.api(`/me/events/${created.id}`).patch({
      start: { dateTime: day(4, '15:00'), timeZone: 'UTC' },
      end: { dateTime: day(4, '15:30'), timeZone: 'UTC' },
    });
    expect(moved.onlineMeeting.joinUrl).toBe(created.onlineMeeting.joinUrl);
    expect(moved.start.dateTime).toBe(`${day(4, '15:00')}.0000000`);
    const rewritten = await megan
      .api(`/me/events/${created.id}`)
      .patch({ body: { contentType: 'HTML', content: '<p>new text</p>' } });
    expect(rewritten.onlineMeeting.joinUrl).not.toBe(created.onlineMeeting.joinUrl);
  });

  it('cancel answers 202 and the event is gone, the room it booked freed; DELETE answers 204', async () => {
    const created = await megan.api('/me/events').post(
      booking({
        attendees: [{ emailAddress: { address: DEMO.users.room.mail }, type: 'resource' }],
        start: { dateTime: day(5, '06:00'), timeZone: 'UTC' },
        end: { dateTime: day(5, '06:30'), timeZone: 'UTC' },
      }),
    );
    const roomView = () =>
      megan.api('/me/calendar/getSchedule').post({
        schedules: [DEMO.users.room.mail],
        startTime: { dateTime: day(5, '06:00'), timeZone: 'UTC' },
        endTime: { dateTime: day(5, '06:30'), timeZone: 'UTC' },
        availabilityViewInterval: 30,
      });
    expect((await roomView()).value[0].availabilityView).toBe('2');
    expect((await megan.api(`/me/events/${created.id}`).get()).attendees[0].status.response).toBe('accepted');
    await megan.api(`/me/events/${created.id}/cancel`).post({ comment: 'Sorry' });
    await expect(megan.api(`/me/events/${created.id}`).get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'ErrorItemNotFound',
    });
    expect((await roomView()).value[0].availabilityView).toBe('0');

    const other = await megan.api('/me/events').post(booking());
    await megan.api(`/me/events/${other.id}`).delete();
    await expect(megan.api(`/me/events/${other.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('an attendee cannot cancel (400, "You need to be an organizer to cancel a meeting.")', async () => {
    const created = await megan
      .api('/me/events')
      .post(booking({ attendees: [{ emailAddress: { address: DEMO.users.alex.mail }, type: 'required' }] }));
    const copy = emu.control.events(DEMO.users.alex.id).find((e) => e.iCalUId === created.iCalUId)!;
    await expect(alex.api(`/me/events/${copy.id}/cancel`).post({})).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

// microsoftgraph/microsoft-graph-docs-contrib concepts/errors.md (error body, 401 InvalidAuthenticationToken), concepts/throttling.md (429 and
// Retry-After), microsoftgraph/msgraph-sdk-javascript src/middleware/RetryHandler.ts (3 retries by default).
describe('faults, tokens and errors', () => {
  it('503 is retried by graph-client; persistent 503 surfaces after its 3 retries', async () => {
    emu.control.injectFault({
      match: { pathPrefix: '/v1.0/me/mailboxSettings' },
      status: 503,
      retryAfter: 0,
      times: 1,
    });
    await expect(megan.api('/me/mailboxSettings').get()).resolves.toMatchObject({
      timeZone: 'W. Europe Standard Time',
    });
    emu.control.clearRequests();
    emu.control.injectFault({
      match: { pathPrefix: '/v1.0/me/mailboxSettings' },
      status: 503,
      retryAfter: 0,
      times: 10,
    });
    await expect(megan.api('/me/mailboxSettings').get()).rejects.toMatchObject({
      statusCode: 503,
      code: 'ServiceNotAvailable',
    });
    expect(emu.control.requests({ pathPrefix: '/v1.0/me/mailboxSettings' })).toHaveLength(4);
  });

  it('Outlook concurrency (4 per app and mailbox, M365.md "Free/busy") can be switched on: 429 ApplicationThrottled', async () => {
    emu.control.setLimits({ maxConcurrentRequestsPerMailbox: 1 });
    // The first request is held 1 s: the second, sent at the same time, arrives within it even when a loaded
    // machine makes its TLS handshake slow.
    emu.control.injectFault({ match: { pathPrefix: '/v1.0/me/calendar' }, latencyMs: 1_000 });
    try {
      const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
      const call = () =>
        fetch(`${emu.url}/v1.0/me/calendar`, { headers: { authorization: `Bearer ${meganToken}` } });
      const [a, b] = await Promise.all([call(), call()]);
      expect([a.status, b.status].sort()).toEqual([200, 429]);
      const throttled = a.status === 429 ? a : b;
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe(
        'ApplicationThrottled',
      );
    } finally {
      emu.control.setLimits({ maxConcurrentRequestsPerMailbox: 0 });
    }
  });

  it('every Graph response carries request-id and echoes client-request-id', async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const res = await fetch(`${emu.url}/v1.0/me`, {
      headers: { authorization: `Bearer ${meganToken}`, 'client-request-id': 'abc-123' },
    });
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('client-request-id')).toBe('abc-123');
  });

  it('latency can be injected', async () => {
    emu.control.injectFault({ match: { pathPrefix: '/v1.0/me/calendar' }, latencyMs: 300 });
    const t0 = Date.now();
    await megan.api('/me/calendar').get();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it("Graph's error body: { error: { code, message, innerError: { date, request-id, client-request-id } } }", async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const res = await fetch(`${emu.url}/v1.0/me/events/AAMkAnope=`, {
      headers: { authorization: `Bearer ${meganToken}` },
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(body.error.code).toBe('ErrorItemNotFound');
    expect(Object.keys(body.error.innerError)).toEqual(['date', 'request-id', 'client-request-id']);
  });

  it('a missing or forged token is 401 InvalidAuthenticationToken with WWW-Authenticate', async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const none = await fetch(`${emu.url}/v1.0/me`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const forged = meganToken.slice(0, -4) + 'AAAA';
    expect(
      (await fetch(`${emu.url}/v1.0/me`, { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
  });

  it('a Continuous Access Evaluation challenge is a 401 whose WWW-Authenticate carries claims', async () => {
    emu.control.injectFault({
      match: { pathPrefix: '/v1.0/me/calendar' },
      status: 401,
      claimsChallenge: true,
    });
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const res = await fetch(`${emu.url}/v1.0/me/calendar`, {
      headers: { authorization: `Bearer ${meganToken}` },
    });
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate')!;
    expect(header).toContain('error="insufficient_claims"');
    const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1], 'base64').toString('utf8'));
    expect(claims.access_token.nbf.essential).toBe(true);
  });

  it('expired access tokens are refused (401 "Lifetime validation failed")', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'kim@contoso.com',
      displayName: 'Kim',
      timeZone: 'UTC',
    });
    const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), user.mail);
    const kim = graphClient(emu, async () => accessToken);
    await kim.api('/me').get();
    emu.control.expireTokens({ userId: user.id });
    await expect(kim.api('/me').get()).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
    });
  });

  it('revoked consent: Graph answers 401 to tokens already issued', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'sam@contoso.com',
      displayName: 'Sam',
      timeZone: 'UTC',
    });
    const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), user.mail);
    const sam = graphClient(emu, async () => accessToken);
    await sam.api('/me/calendar').get();
    emu.control.revokeConsent(DEMO.tenantId, { userId: user.id });
    await expect(sam.api('/me/calendar').get()).rejects.toMatchObject({ statusCode: 401 });
  });

  it('an app-only token cannot use /me', async () => {
    const tenant = DEMO.tenantId;
    emu.control.grantAdminConsent(tenant, { scopes: ['User.Read'] });
    const app = await msalFor(
      emu,
      DEMO.clientId,
      DEMO.clientSecret,
      `${emu.url}/${tenant}`,
    ).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    const client = graphClient(emu, async () => app!.accessToken);
    await expect(client.api('/me').get()).rejects.toMatchObject({ statusCode: 400 });
  });
});

// microsoftgraph/microsoft-graph-docs-contrib concepts/json-batching.md (20 requests at most, per-part status, dependsOn).
describe('$batch (M365.md "Errors and batching")', () => {
  it('answers 200 with one status per part, a throttled part included', async () => {
    emu.control.injectFault({
      match: { pathPrefix: '/v1.0/me/mailboxSettings' },
      status: 429,
      retryAfter: 7,
    });
    const res = await megan.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: '/me' },
        { id: '2', method: 'GET', url: '/me/mailboxSettings' },
        { id: '3', method: 'GET', url: '/me/calendar', dependsOn: ['2'] },
      ],
    });
    const byId = Object.fromEntries(res.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].body.id).toBe(DEMO.users.megan.id);
    expect(byId['2'].status).toBe(429);
    expect(byId['2'].headers['Retry-After']).toBe('7');
    expect(byId['3'].status).toBe(424);
  });

  it('needs a bearer token for the batch itself: 401 for the whole request, not per part', async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const res = await fetch(`${emu.graphUrl}/v1.0/$batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/me' }] }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });

  it('refuses more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    await expect(megan.api('/$batch').post({ requests })).rejects.toMatchObject({ statusCode: 400 });
  });
});
