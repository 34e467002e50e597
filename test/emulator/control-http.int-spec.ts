// The control surface over HTTP (/_emulator/…), as scripts and sandbox users drive it with curl; and the
// CA it serves, which is all a client needs to trust the emulator.
import { createHash } from 'node:crypto';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { createTrustedFetch, type TrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';

const VERIFIER = 'k'.repeat(43);
let emu: Emulator;
let fetch: TrustedFetch;

beforeAll(async () => {
  emu = await startEmulator();
  fetch = createTrustedFetch({ extraCaPem: emu.caPem });
});
afterAll(() => emu.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

it('seeds a tenant, an app and a user, signs the user in without a browser and reads the request log', async () => {
  const tenant = (
    await call('POST', '/tenants', { name: 'Northwind', domain: 'northwind.com', userConsent: 'allowed' })
  ).body;
  const app = (await call('POST', '/apps', { redirectUris: ['http://localhost:4000/cb'] })).body;
  const user = (
    await call('POST', '/users', {
      tenantId: tenant.id,
      mail: 'ana@northwind.com',
      displayName: 'Ana',
      timeZone: 'Romance Standard Time',
    })
  ).body;
  expect(user).toMatchObject({ tenantId: tenant.id, teamsLicence: true, kind: 'user' });

  const authorize = `${emu.url}/organizations/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: 'http://localhost:4000/cb',
    scope: 'openid offline_access Calendars.Read',
    state: 'abc',
    code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    code_challenge_method: 'S256',
    login_hint: 'ana@northwind.com',
  })}`;
  const signIn = await call('POST', '/sign-in', { url: authorize });
  const location = new URL(signIn.body.location);
  expect(location.searchParams.get('state')).toBe('abc');
  const token = await fetch(`${emu.url}/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      redirect_uri: 'http://localhost:4000/cb',
      code_verifier: VERIFIER,
      scope: 'openid offline_access Calendars.Read',
    }).toString(),
  });
  expect(token.status).toBe(200);
  expect(await token.json()).toMatchObject({
    token_type: 'Bearer',
    scope: expect.stringContaining('Calendars.Read'),
  });

  const log = (await call('GET', '/requests?pathPrefix=/organizations')).body;
  expect(log.map((r: { path: string; status: number }) => [r.path, r.status])).toEqual([
    ['/organizations/oauth2/v2.0/authorize', 302],
    ['/organizations/oauth2/v2.0/token', 200],
  ]);
  expect(log[1].body.client_secret).toBe('***');
});

it('adds, moves and deletes events "in Outlook", injects and lists faults, serves the CA', async () => {
  const tenant = (await call('POST', '/tenants', { name: 'Litware', domain: 'litware.com' })).body;
  const user = (
    await call('POST', '/users', { tenantId: tenant.id, mail: 'bo@litware.com', displayName: 'Bo' })
  ).body;
  const event = (
    await call('POST', '/events', {
      userId: user.mail,
      subject: 'Busy',
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T10:00:00Z',
      showAs: 'oof',
    })
  ).body;
  expect(event).toMatchObject({
    subject: 'Busy',
    showAs: 'oof',
    start: { dateTime: '2026-12-01T09:00:00.0000000', timeZone: 'UTC' },
  });
  await call('PATCH', `/events/${encodeURIComponent(event.id)}`, {
    start: '2026-12-01T11:00:00Z',
    end: '2026-12-01T12:00:00Z',
  });
  expect((await call('GET', `/users/${user.id}/events`)).body[0].start.dateTime).toBe(
    '2026-12-01T11:00:00.0000000',
  );
  expect((await call('DELETE', `/events/${encodeURIComponent(event.id)}`)).status).toBe(204);
  expect((await call('GET', `/users/${user.id}/events`)).body).toEqual([]);

  const fault = (
    await call('POST', '/faults', { match: { pathPrefix: '/v1.0/me' }, status: 429, retryAfter: 2, times: 1 })
  ).body;
  const throttled = await fetch(`${emu.url}/v1.0/me`);
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get('retry-after')).toBe('2');
  expect((await call('GET', '/faults')).body.find((f: { id: string }) => f.id === fault.id)).toMatchObject({
    hits: 1,
    remaining: 0,
  });

  const ca = await fetch(`${emu.url}/_emulator/ca.pem`);
  expect(await ca.text()).toBe(emu.caPem);
  expect((await call('POST', '/users', { tenantId: 'nope', mail: 'x@y', displayName: 'X' })).status).toBe(
    400,
  );
});

it('a demo seed can be requested over HTTP', async () => {
  const seeded = await call('POST', '/seed/demo', {
    redirectUris: ['http://localhost:3000/oauth/microsoft/callback'],
    weeks: 1,
  });
  expect(seeded.status).toBe(201);
  expect(seeded.body.users.room.mail).toBe('rainier@contoso.com');
  const summary = (await call('GET', '')).body;
  expect(summary.users.some((u: { kind: string }) => u.kind === 'room')).toBe(true);
});

it('a browser without login_hint gets an account picker whose links sign in', async () => {
  await call('POST', '/seed/demo', { weeks: 1 }).catch(() => undefined);
  const authorize = `${emu.url}/organizations/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: '5e3b8f21-7c4d-4a9e-b1f6-2d8c0a7e9b13',
    response_type: 'code',
    redirect_uri: 'http://localhost:3000/oauth/microsoft/callback',
    scope: 'openid Calendars.Read',
    state: 'picker',
    code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
  const page = await fetch(authorize, { headers: { accept: 'text/html' } });
  const html = await page.text();
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const link = /href="([^"]*login_hint=megan[^"]*)"/.exec(html)![1].replace(/&#38;/g, '&');
  const signedIn = await fetch(`${emu.url}${link}`, { redirect: 'manual' });
  expect(signedIn.status).toBe(302);
  expect(new URL(signedIn.headers.get('location')!).searchParams.get('state')).toBe('picker');
});
