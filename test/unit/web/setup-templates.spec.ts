// The words of the setup screens: every result code of a member's sign-in and of admin consent has its own
// title and sentences (the setup guide's), says what to do, and the HTML escapes what people typed.
import { ALL_PERMISSIONS } from '@domain/consent/permissions.js';
import type { ConnectionResultCode } from '@application/connection/complete-microsoft-connection.use-case.js';
import type { ConnectionResultView } from '@application/connection/get-connection-result.use-case.js';
import type { AdminConsentResultView } from '@application/consent/get-admin-consent-result.use-case.js';
import { ADMIN_CONSENT_MESSAGES } from '@application/consent/complete-admin-consent.use-case.js';
import { WebAssets } from '@adapters/web/web-assets.js';
import {
  adminConsentPageHtml,
  adminConsentResultHtml,
  adminConsentWords,
  connectionResultHtml,
  connectionWords,
  TEAMS_LICENCE_MISSING_WORDS,
} from '@adapters/web/setup-templates.js';

const assets = new WebAssets();
const who = { name: 'Megan Bowen', email: 'megan@contoso.com' };

/** Every code the member callback and the reconnect link can send (ConnectionResultCode), and success. */
const CODES: Record<ConnectionResultCode | 'connected', RegExp> = {
  connected: /now appears as connected/,
  ADMIN_CONSENT_REQUIRED:
    /Global Administrator or Privileged Role Administrator to complete the consent prompt once/,
  ACCOUNT_NOT_ACTIVE: /Only active accounts can connect.*megan@contoso\.com/s,
  TENANT_MISMATCH: /outside the tenant your workspace is connected to/,
  ACCOUNT_MISMATCH: /different Microsoft 365 account than the one for Megan Bowen \(megan@contoso\.com\)/,
  CONSENT_DECLINED: /declined.*approve them/s,
  MICROSOFT_ACCOUNT_DISABLED: /disabled or blocked.*Microsoft Entra admin centre/s,
  MICROSOFT_SIGN_IN_FAILED: /did not complete the sign-in.*conditional access/s,
  MICROSOFT_UNAVAILABLE: /could not reach Microsoft.*try again in a few minutes/s,
};

function view(result: string, over: Partial<ConnectionResultView> = {}): ConnectionResultView {
  return {
    result,
    memberId: 'm-1',
    memberName: who.name,
    memberEmail: who.email,
    mailbox: result === 'connected' ? who.email : null,
    teamsEnabled: result === 'connected' ? true : null,
    adminConsent: null,
    ...over,
  };
}

describe('connection result words', () => {
  it.each(Object.entries(CODES))(
    '%s has its own title and says what happened and what to do',
    (code, says) => {
      const words = connectionWords(code, who);
      expect(words.sentences.length).toBeGreaterThanOrEqual(2);
      expect(words.sentences.join(' ')).toMatch(says);
      const others = Object.keys(CODES).filter((c) => c !== code);
      for (const other of others) expect(connectionWords(other, who).title).not.toBe(words.title);
    },
  );

  it('every refusal tells the person a next step (start again, try again, ask someone)', () => {
    for (const code of Object.keys(CODES).filter((c) => c !== 'connected')) {
      expect(connectionWords(code, who).sentences.at(-1)).toMatch(/start|try again|ask|Ask/i);
    }
  });

  it('an unknown code reads as a sign-in that did not complete', () => {
    expect(connectionWords('SOMETHING_NEW', who)).toEqual(connectionWords('MICROSOFT_SIGN_IN_FAILED', who));
  });
});

describe('the connection result page', () => {
  it('shows the member and mailbox when connected, and the Teams sentence only without a licence', () => {
    const ok = connectionResultHtml(assets, view('connected'));
    expect(ok).toContain('<h1 id="result-title">Your calendar is connected</h1>');
    expect(ok).toContain('<dd>megan@contoso.com</dd>');
    expect(ok).not.toContain('Teams licence');
    expect(connectionResultHtml(assets, view('connected', { teamsEnabled: false }))).toContain(
      TEAMS_LICENCE_MISSING_WORDS,
    );
  });

  it('escapes the names people typed', () => {
    const page = connectionResultHtml(
      assets,
      view('ACCOUNT_MISMATCH', { memberName: '<img src=x onerror=alert(1)>', memberEmail: 'a"b@x.test' }),
    );
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('a&quot;b@x.test');
  });

  it('ADMIN_CONSENT_REQUIRED carries the link to hand to an administrator', () => {
    const url = 'https://k.test/microsoft/admin-consent?link=abc.def';
    const page = connectionResultHtml(
      assets,
      view('ADMIN_CONSENT_REQUIRED', { adminConsent: { url, expiresAt: new Date() } }),
    );
    expect(page).toContain(`<a id="admin-consent-link" href="${url}">${url}</a>`);
    expect(page).toContain('It works for 7 days');
  });
});

describe('the admin consent pages', () => {
  it('the page lists each permission with its purpose, and has one button', () => {
    const page = adminConsentPageHtml(
      assets,
      { workspaceName: 'Acme & Co', tenant: 'contoso.com' },
      ALL_PERMISSIONS,
      '/oauth/microsoft/admin-consent/start?link=a.b',
    );
    for (const p of ALL_PERMISSIONS) expect(page).toContain(`<code>${p.scope}</code>`);
    expect(page.match(/class="purpose"/g)).toHaveLength(ALL_PERMISSIONS.length);
    expect(page).toContain('Acme &amp; Co');
    expect(page).toContain('<strong>contoso.com</strong>');
    expect(page.match(/<a |<button/g)).toHaveLength(1);
    expect(page).toContain('href="/oauth/microsoft/admin-consent/start?link=a.b">Continue to Microsoft</a>');
  });

  const result = (over: Partial<AdminConsentResultView>): AdminConsentResultView => ({
    result: 'admin_consent_granted',
    workspaceName: 'Acme',
    tenantId: null,
    scopes: [],
    message: null,
    retryUrl: null,
    ...over,
  });

  it('granted: the tenant and each granted scope with its purpose, no retry', () => {
    const page = adminConsentResultHtml(
      assets,
      result({ tenantId: 'tid-1', scopes: ['User.Read', 'Calendars.ReadWrite'] }),
      ALL_PERMISSIONS,
    );
    expect(page).toContain('Consent granted');
    expect(page).toContain('<dd>tid-1</dd>');
    expect(page).toContain('<code>Calendars.ReadWrite</code>');
    expect(page).not.toContain('id="retry"');
  });

  it.each([
    ['ADMIN_CONSENT_DECLINED', 'Consent was declined', ADMIN_CONSENT_MESSAGES.declined],
    ['ADMIN_CONSENT_NOT_VERIFIED', 'Consent could not be verified', ADMIN_CONSENT_MESSAGES.notAdmin],
    ['TENANT_MISMATCH', 'Consent was given for another organisation', ADMIN_CONSENT_MESSAGES.wrongTenant],
    ['MICROSOFT_UNAVAILABLE', 'Microsoft 365 could not be reached', ADMIN_CONSENT_MESSAGES.unavailable],
  ])('%s: its title, the message, and the way back to the consent page', (code, title, message) => {
    const v = result({ result: code, message, retryUrl: 'https://k.test/microsoft/admin-consent?link=x.y' });
    expect(adminConsentWords(v)).toEqual({ title, sentences: [message] });
    const page = adminConsentResultHtml(assets, v, ALL_PERMISSIONS);
    expect(page).toContain(title);
    expect(page).toContain('id="retry" href="https://k.test/microsoft/admin-consent?link=x.y"');
  });
});
