// The emulator's state file: a restart on the same file changes nothing a client can see — the same
// address and CA, tokens issued before still verify and refresh, events, subscriptions (and their
// notifications), delta tokens and consents are all there, and the demo tenant is not seeded twice.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { StateFileError } from '../../emulator/persistence.js';
import { DEMO } from '../../emulator/seed.js';
import { createTrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';
import { connect, msalFor, REDIRECT, SCOPES } from './helpers.js';

let dir: string;
let receiver: Server;
let receiverUrl: string;
const notified: { changeType: string; resource: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kailenty-emulator-state-'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
      if (token !== null) return res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      for (const n of JSON.parse(Buffer.concat(chunks).toString('utf8')).value) notified.push(n);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const start = (stateFile: string) =>
  startEmulator({ stateFile, demo: { redirectUris: [REDIRECT], weeks: 1 } });

describe('a restart on the same state file', () => {
  const file = () => join(dir, 'restart.json');
  let first: Emulator;
  let second: Emulator;

  afterAll(async () => {
    await first?.close().catch(() => undefined);
    await second?.close();
  });

  it('keeps address, CA, tokens, events, subscriptions, delta tokens and the demo seed', async () => {
    first = await start(file());
    expect(first.restored).toBe(false);
    const cca = msalFor(first, DEMO.clientId, DEMO.clientSecret);
    const { account, accessToken } = await connect(first, cca, DEMO.users.megan.mail);
    // A client of its own per emulator run: keep-alive sockets of the first run die with it.
    let fetch = createTrustedFetch({ extraCaPem: first.caPem });
    const graph = async (url: string, token: string, init: RequestInit = {}) => {
      const res = await fetch(url.startsWith('https://') ? url : `${first.url}/v1.0${url}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph JSON, read by the assertions
      return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
    };
    const created = await graph('/me/events', accessToken, {
      method: 'POST',
      body: JSON.stringify({
        subject: 'Before the restart',
        start: { dateTime: '2026-12-03T14:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-03T14:30:00', timeZone: 'UTC' },
        isOnlineMeeting: true,
      }),
    });
    expect(created.status).toBe(201);
    const subscription = await graph('/subscriptions', accessToken, {
      method: 'POST',
      body: JSON.stringify({
        changeType: 'created,updated,deleted',
        resource: 'me/events',
        notificationUrl: receiverUrl,
        expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
        clientState: 'kept',
      }),
    });
    expect(subscription.status).toBe(201);
    const window = 'startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-08T00:00:00Z';
    let delta = await graph(`/me/calendarView/delta?${window}`, accessToken);
    while (delta.body['@odata.nextLink']) delta = await graph(delta.body['@odata.nextLink'], accessToken);
    const deltaLink: string = delta.body['@odata.deltaLink'];
    const eventsBefore = first.control.events(DEMO.users.megan.id).length;
    const consents = first.control.consents(DEMO.tenantId);
    await first.close();

    second = await start(file());
    fetch = createTrustedFetch({ extraCaPem: second.caPem });
    expect(second.restored).toBe(true);
    expect([second.url, second.caPem]).toEqual([first.url, first.caPem]);
    // Not seeded again: the same events, the consent Megan gave, her subscription.
    expect(second.control.events(DEMO.users.megan.id)).toHaveLength(eventsBefore);
    expect(second.control.consents(DEMO.tenantId)).toEqual(consents);
    expect(second.control.subscriptions().map((s) => s.id)).toEqual([subscription.body.id]);

    // The access token issued before the restart verifies (same signing key, token still known).
    const read = await graph(`/me/events/${created.body.id}`, accessToken);
    expect(read.body).toMatchObject({
      subject: 'Before the restart',
      onlineMeeting: created.body.onlineMeeting,
    });
    // MSAL's refresh token from before the restart is redeemed.
    const refreshed = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(accessToken);
    expect((await graph('/me', refreshed.accessToken)).status).toBe(200);
    // The delta token is still known and answers only what changed since.
    await second.control.updateEvent(created.body.id, { subject: 'Moved after the restart' });
    const changes = await graph(deltaLink, refreshed.accessToken);
    expect(changes.status).toBe(200);
    expect(changes.body.value.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    // The subscription still notifies.
    expect(notified.at(-1)).toMatchObject({ changeType: 'updated', clientState: 'kept' });
  });

  it('saves changes made in-process a little after they happen, atomically', async () => {
    const added = await second.control.addEvent({
      userId: DEMO.users.alex.mail,
      subject: 'Saved without a close',
      start: '2026-12-04T10:00:00Z',
      end: '2026-12-04T11:00:00Z',
    });
    await new Promise((r) => setTimeout(r, 600));
    const saved = JSON.parse(readFileSync(file(), 'utf8'));
    expect(saved.events.map((e: { id: string }) => e.id)).toContain(added.id);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('state files that cannot be used', () => {
  it('refuses to start on an unreadable file rather than forget what it held', async () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"version":1,"tenants":[');
    await expect(start(bad)).rejects.toBeInstanceOf(StateFileError);
    writeFileSync(bad, JSON.stringify({ version: 99 }));
    await expect(start(bad)).rejects.toThrow(/version 99/);
  });
});
