// The Microsoft 365 emulator for e2e tests: started over HTTPS with the demo tenant, and the service's
// configuration pointing its real MSAL and Graph adapters at it.
import type { AppConfig } from '@config/env.schema.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import type { TestApp } from './test-app.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';

export { DEMO };
export const TEST_PUBLIC_URL = 'http://127.0.0.1:3000';

/**
 * A Microsoft adapter (token provider, Graph client) answers Microsoft withdrawing a member's access with a
 * MicrosoftRefusal and records nothing; the use case that made the call records it, as this does.
 */
export async function refusedThenRecorded(t: TestApp, call: Promise<unknown>): Promise<MicrosoftRefusal> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MicrosoftRefusal);
  expect(error).toMatchObject({ code: 'CONSENT_REVOKED' });
  await t.app.get(RecordMicrosoftFailure).recordRefusalIn(error);
  return error as MicrosoftRefusal;
}

export async function startTestEmulator(options: { weeks?: number; from?: Date } = {}): Promise<Emulator> {
  return startEmulator({
    demo: {
      redirectUris: [
        `${TEST_PUBLIC_URL}/oauth/microsoft/callback`,
        `${TEST_PUBLIC_URL}/oauth/microsoft/admin-consent/callback`,
      ],
      weeks: options.weeks ?? 2,
      from: options.from,
    },
  });
}

export function microsoftConfig(emu: Emulator): Partial<AppConfig> {
  return {
    publicUrl: TEST_PUBLIC_URL,
    microsoft: {
      clientId: DEMO.clientId,
      clientSecret: DEMO.clientSecret,
      authorityHost: emu.url,
      graphUrl: emu.url,
      extraCaPem: emu.caPem,
    },
  };
}

/** The path and query of an absolute URL, to replay a browser redirect against the test server. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

export interface ConnectOutcome {
  status: number;
  location: URL | null;
  callbackPath: string | null;
}

/**
 * Walks the member sign-in as a browser would: start the connection, let the emulator's authorize page
 * sign someone in, and follow Entra's redirect to our callback.
 */
export async function connectMember(
  t: TestApp,
  emu: Emulator,
  apiKey: string,
  memberId: string,
  as?: { userId?: string; decline?: boolean; aadsts?: number },
): Promise<ConnectOutcome> {
  const started = await t
    .http()
    .post(`/v1/members/${memberId}/microsoft-connection`)
    .set('Authorization', `Bearer ${apiKey}`)
    .send({});
  if (started.status !== 201) return { status: started.status, location: null, callbackPath: null };
  const entraRedirect = await emu.control.signIn(started.body.authorizeUrl, as);
  const callbackPath = pathOf(entraRedirect);
  const res = await t.http().get(callbackPath);
  return {
    status: res.status,
    location: res.headers.location ? new URL(res.headers.location) : null,
    callbackPath,
  };
}

export async function activeMember(
  t: TestApp,
  apiKey: string,
  email: string,
  displayName = email,
): Promise<string> {
  const auth = { Authorization: `Bearer ${apiKey}` };
  const created = await t.http().post('/v1/members').set(auth).send({ email, displayName, role: 'member' });
  if (created.status !== 201) throw new Error(`member: ${created.status} ${JSON.stringify(created.body)}`);
  await t.http().patch(`/v1/members/${created.body.id}`).set(auth).send({ status: 'active' }).expect(200);
  return created.body.id;
}

/**
 * An availability body open every night, 00:00–06:00 UTC, where the emulator's demo calendars are empty:
 * slots then depend only on what a test puts in Outlook or books.
 */
export function nightsOnlyPolicy(overrides: Record<string, unknown> = {}) {
  return {
    timeZone: 'UTC',
    weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
      day,
      intervals: [{ start: '00:00', end: '06:00' }],
    })),
    overrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    maxDaysAhead: null,
    busyStatuses: ['busy', 'oof', 'tentative'],
    extraCalendars: [],
    ...overrides,
  };
}

export interface AdminConsentWalk {
  /** Where kailenty sent the browser after Microsoft's adminconsent answer (the administrator's sign-in). */
  signInUrl: URL | null;
  /** Where the flow ended: the product's return URL with result=… (or null when it stopped earlier). */
  location: URL | null;
  /** The last answer kailenty gave (a 400 INVALID_STATE problem stops the walk). */
  status: number;
}

/**
 * Walks admin consent as a browser would: the admin consent URL (kailenty's page and its button, or
 * Microsoft's URL), Microsoft's consent screen, kailenty's callback, the administrator's sign-in, and the callback again.
 * `signInAs` is who signs in on the second leg (default: the same administrator).
 */
export async function walkAdminConsent(
  t: TestApp,
  emu: Emulator,
  adminConsentUrl: string,
  as: { userId: string; decline?: boolean },
  signInAs: { userId?: string; decline?: boolean; aadsts?: number } = { userId: as.userId },
): Promise<AdminConsentWalk> {
  let url = adminConsentUrl;
  if (url.startsWith(TEST_PUBLIC_URL)) {
    const link = await followAdminConsentPage(t, url);
    if (link.status !== 302) return { signInUrl: null, location: null, status: link.status };
    url = link.location!;
  }
  const consented = await t.http().get(pathOf(await emu.control.signIn(url, as)));
  return continueAdminSignIn(t, emu, consented, signInAs);
}

/** The href of the admin consent page's one button ("Continue to Microsoft"), read from its HTML. */
export function continueHref(pageHtml: string): string | null {
  const match = /<a class="button" id="continue" href="([^"]+)"/.exec(pageHtml);
  return match ? match[1]!.replaceAll('&amp;', '&') : null;
}

/**
 * Opens kailenty's admin consent page (an `adminConsentUrl`) and presses its button, as an administrator
 * would: the answer to the button (302 to Microsoft with a fresh state), or the page's own status when it
 * shows no button.
 */
export async function followAdminConsentPage(
  t: TestApp,
  adminConsentUrl: string,
): Promise<{ status: number; location: string | null }> {
  const page = await t.http().get(pathOf(adminConsentUrl));
  const href = page.status === 200 ? continueHref(page.text) : null;
  if (!href) return { status: page.status, location: null };
  const next = await t.http().get(href);
  return { status: next.status, location: (next.headers.location as string | undefined) ?? null };
}

/** From kailenty's answer to the consent leg: follows the sign-in it asks for, as `signInAs`. */
export async function continueAdminSignIn(
  t: TestApp,
  emu: Emulator,
  consented: { status: number; headers: Record<string, string> },
  signInAs: { userId?: string; decline?: boolean; aadsts?: number },
): Promise<AdminConsentWalk> {
  const next = consented.headers.location ? new URL(consented.headers.location) : null;
  if (consented.status !== 302 || !next || next.origin !== emu.url) {
    return { signInUrl: null, location: next, status: consented.status };
  }
  const back = await t.http().get(pathOf(await emu.control.signIn(next.toString(), signInAs)));
  return {
    signInUrl: next,
    location: back.headers.location ? new URL(back.headers.location) : null,
    status: back.status,
  };
}
