// The emulator refuses event bodies Graph would refuse, with Graph's 400 and error body, and a refused
// write changes nothing: the mailbox's events stay readable (a PATCH with an object `content` once broke them).
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { createTrustedFetch, type TrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';
import { connect, msalFor, REDIRECT } from './helpers.js';

let emu: Emulator;
let fetch: TrustedFetch;
let token: string;

beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: [REDIRECT], weeks: 1 } });
  fetch = createTrustedFetch({ extraCaPem: emu.caPem });
  token = (await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), DEMO.users.megan.mail))
    .accessToken;
});
afterAll(() => emu.close());

async function graph(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/v1.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'client-request-id': 'validation-test',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const slot = (hour: number) => ({
  dateTime: `2026-12-03T${String(hour).padStart(2, '0')}:00:00`,
  timeZone: 'UTC',
});
const valid = {
  subject: 'Intro call',
  body: { contentType: 'HTML', content: '<p>Booked</p>' },
  start: slot(14),
  end: slot(15),
  attendees: [{ emailAddress: { address: 'guest@example.com', name: 'Guest' }, type: 'required' }],
  isOnlineMeeting: true,
  onlineMeetingProvider: 'teamsForBusiness',
};

function expectGraphError(
  res: { status: number; body: { error: { message: string } } },
  code: string,
  message?: RegExp,
) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: {
      code,
      message: expect.any(String),
      innerError: {
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
        'request-id': expect.any(String),
        'client-request-id': 'validation-test',
      },
    },
  });
  if (message) expect(res.body.error.message).toMatch(message);
}

describe('event writes Graph would refuse', () => {
  let eventId: string;
  let before: unknown;

  beforeAll(async () => {
    const created = await graph('POST', '/me/events', valid);
    expect(created.status).toBe(201);
    eventId = created.body.id;
    before = emu.control.event(eventId);
  });

  afterEach(async () => {
    // Whatever was refused, the event is as it was and the mailbox still lists and expands.
    expect(emu.control.event(eventId)).toEqual(before);
    expect((await graph('GET', '/me/events?$top=100')).status).toBe(200);
    const view = await graph(
      'GET',
      '/me/calendarView?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-08T00:00:00Z&$top=100',
    );
    expect(view.status).toBe(200);
    expect(view.body.value.map((e: { id: string }) => e.id)).toContain(eventId);
  });

  it.each([
    [
      'an object as body content',
      { body: { contentType: 'html', content: { text: 'hi' } } },
      'BadRequest',
      /body\.content/,
    ],
    ['a string as body', { body: 'plain words' }, 'BadRequest', /Property body in payload/],
    [
      'an unknown body content type',
      { body: { contentType: 'markdown', content: '*' } },
      'RequestBodyRead',
      /'markdown' was not found/,
    ],
    [
      'a property body does not have',
      { body: { contentType: 'text', content: 'x', colour: 'red' } },
      'RequestBodyRead',
      /'colour' does not exist/,
    ],
    ['a string as start', { start: '2026-12-03T14:00:00Z' }, 'BadRequest', /Property start in payload/],
    ['a start without dateTime', { start: { timeZone: 'UTC' } }, 'ErrorInvalidParameter', undefined],
    [
      'a number as dateTime',
      { start: { dateTime: 20261203, timeZone: 'UTC' } },
      'BadRequest',
      /start\.dateTime/,
    ],
    [
      'an unknown zone',
      { start: { dateTime: '2026-12-03T14:00:00', timeZone: 'Mars/Olympus' } },
      'TimeZoneNotSupportedException',
      undefined,
    ],
    [
      'a date that is not one',
      { end: { dateTime: 'tomorrow', timeZone: 'UTC' } },
      'BadRequest',
      /Edm\.DateTime/,
    ],
    ['an end moved before the start', { end: slot(13) }, 'ErrorInvalidRequest', /end of the event/],
    [
      'a property events do not have',
      { colour: 'red' },
      'RequestBodyRead',
      /'colour' does not exist on type 'Microsoft\.OutlookServices\.Event'/,
    ],
    ['a number as subject', { subject: 42 }, 'BadRequest', /Property subject/],
    ['an unknown showAs', { showAs: 'maybe' }, 'RequestBodyRead', /'maybe' was not found/],
    ['an unknown sensitivity', { sensitivity: 'secret' }, 'RequestBodyRead', /'secret' was not found/],
    ['a string as isAllDay', { isAllDay: 'yes' }, 'BadRequest', /isAllDay/],
    ['attendees that are not a list', { attendees: { address: 'a@b.c' } }, 'BadRequest', /attendees/],
    [
      'an attendee without an address',
      { attendees: [{ type: 'required', emailAddress: {} }] },
      'ErrorInvalidRecipients',
      undefined,
    ],
    ['categories that are not strings', { categories: [1] }, 'BadRequest', /categories\[0\]/],
    ['a location that is a string', { location: 'Room 1' }, 'BadRequest', /location/],
    [
      'a monthly recurrence (not emulated: refused, never ignored)',
      {
        recurrence: {
          pattern: { type: 'absoluteMonthly', interval: 1 },
          range: { type: 'noEnd', startDate: '2026-12-03' },
        },
      },
      'ErrorInvalidRequest',
      /not supported by the emulator/,
    ],
    [
      'a weekly recurrence without days',
      {
        recurrence: {
          pattern: { type: 'weekly', interval: 1 },
          range: { type: 'noEnd', startDate: '2026-12-03' },
        },
      },
      'ErrorInvalidRequest',
      /daysOfWeek/,
    ],
  ])('PATCH with %s: 400', async (_name, patch, code, message) => {
    expectGraphError(await graph('PATCH', `/me/events/${eventId}`, patch), code, message);
  });

  it('a PATCH body that is not a JSON object is refused', async () => {
    expectGraphError(await graph('PATCH', `/me/events/${eventId}`, '[1, 2]'), 'BadRequest');
    expectGraphError(await graph('PATCH', `/me/events/${eventId}`, '{"subject": '), 'BadRequest', /JSON/);
  });

  it('a POST without start or end, or with an end before its start, creates nothing', async () => {
    const count = emu.control.events(DEMO.users.megan.id).length;
    expectGraphError(await graph('POST', '/me/events', { ...valid, end: undefined }), 'ErrorInvalidRequest');
    expectGraphError(await graph('POST', '/me/events', { ...valid, start: slot(16) }), 'ErrorInvalidRequest');
    expectGraphError(await graph('POST', '/me/events', { ...valid, body: { content: ['x'] } }), 'BadRequest');
    expect(emu.control.events(DEMO.users.megan.id)).toHaveLength(count);
  });

  it('what Graph accepts still works: read-only properties sent back are ignored, enums in any case', async () => {
    const plain = await graph('POST', '/me/events', {
      ...valid,
      isOnlineMeeting: false,
      onlineMeetingProvider: undefined,
    });
    expect(plain.status).toBe(201);
    const fetched = (await graph('GET', `/me/events/${plain.body.id}`)).body;
    const patched = await graph('PATCH', `/me/events/${plain.body.id}`, {
      ...fetched,
      subject: 'Renamed',
      showAs: 'Tentative',
      body: { contentType: 'Text', content: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      subject: 'Renamed',
      showAs: 'tentative',
      body: { contentType: 'text', content: '' },
    });
  });
});

describe('the control surface checks events "changed in Outlook" too', () => {
  async function control(method: string, path: string, body: unknown) {
    const res = await fetch(`${emu.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id: string; error?: string } };
  }

  it('refuses a malformed event or change with 400 and changes nothing', async () => {
    const created = await control('POST', '/events', {
      userId: DEMO.users.megan.mail,
      subject: 'Dentist',
      start: '2026-12-04T10:00:00Z',
      end: '2026-12-04T11:00:00Z',
      notify: false,
    });
    expect(created.status).toBe(201);
    const before = emu.control.event(created.body.id);
    for (const patch of [
      { body: { html: '<p>x</p>' } },
      { subject: ['a'] },
      { showAs: 'maybe' },
      { end: '2026-12-04T09:00:00Z' },
      { start: { dateTime: '2026-12-04T10:00:00' } },
      { recurrence: { pattern: { type: 'yearly' }, range: { type: 'noEnd', startDate: '2026-12-04' } } },
    ]) {
      const res = await control('PATCH', `/events/${created.body.id}`, patch);
      expect([res.status, typeof res.body.error]).toEqual([400, 'string']);
    }
    expect(emu.control.event(created.body.id)).toEqual(before);
    const refused = await control('POST', '/events', {
      userId: DEMO.users.megan.mail,
      start: '2026-12-04T10:00:00Z',
      end: 'noon',
    });
    expect(refused.status).toBe(400);
    expect((await graph('GET', '/me/events?$top=100')).status).toBe(200);
  });
});
