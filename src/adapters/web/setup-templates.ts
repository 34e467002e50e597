// The setup guide's two screens as HTML: where a member's Microsoft sign-in ends (connected, or what went
// wrong and what to do), and the administrator's consent page before and after Microsoft. The words are
// the setup guide's: its steps, its "What and why" and its troubleshooting sentences.
import type { Permission } from '@domain/consent/permissions.js';
import type { ConnectionResultView } from '@application/connection/get-connection-result.use-case.js';
import type { AdminConsentResultView } from '@application/consent/get-admin-consent-result.use-case.js';
import type { AdminConsentPageView } from '@application/consent/open-admin-consent-page.use-case.js';
import { html, renderPage, type SafeHtml } from './html.js';
import type { WebAssets } from './web-assets.js';

export interface ResultWords {
  title: string;
  sentences: string[];
}

const TRY_AGAIN = 'Then start the connection again from your workspace.';

/**
 * What a member reads for each result of the sign-in (the callback's codes and the reconnect link's):
 * what happened, then what to do. `name` and `email` are the member's, as stored.
 */
export function connectionWords(result: string, member: { name: string; email: string }): ResultWords {
  switch (result) {
    case 'connected':
      return {
        title: 'Your calendar is connected',
        sentences: [
          `${member.name}, your Microsoft 365 calendar now appears as connected.`,
          'Availability is read from it immediately, and confirmed bookings will be written back to it. You can close this page.',
        ],
      };
    case 'ADMIN_CONSENT_REQUIRED':
      return {
        title: 'An administrator needs to approve kailenty first',
        sentences: [
          'Your Microsoft 365 organisation requires an administrator to approve third-party apps before any user can grant access, so your calendar is not connected yet.',
          'Ask a Global Administrator or Privileged Role Administrator to complete the consent prompt once for the workspace, with the link below. After that, individual users can sign in without seeing it again.',
        ],
      };
    case 'ACCOUNT_NOT_ACTIVE':
      return {
        title: 'This account cannot connect yet',
        sentences: [
          `Only active accounts can connect, and ${member.name}'s account in this workspace is pending or disabled, so the calendar was not connected.`,
          `Ask an administrator of your kailenty workspace to confirm that the account ${member.email} is active. ${TRY_AGAIN}`,
        ],
      };
    case 'TENANT_MISMATCH':
      return {
        title: 'This account belongs to another organisation',
        sentences: [
          'The Microsoft 365 account you signed in with is outside the tenant your workspace is connected to, so it was turned away and nothing was changed.',
          `Sign in with your work account of the Microsoft 365 tenant your organisation granted consent for. If you are unsure which one that is, ask your administrator. ${TRY_AGAIN}`,
        ],
      };
    case 'ACCOUNT_MISMATCH':
      return {
        title: 'That is not the expected account',
        sentences: [
          `You signed in with a different Microsoft 365 account than the one for ${member.name} (${member.email}), so it was turned away and nothing was changed.`,
          `Sign in with the work account whose calendar you want to use. If Microsoft signs you in automatically, sign out of Microsoft 365 first or use a private window. ${TRY_AGAIN}`,
        ],
      };
    case 'CONSENT_DECLINED':
      return {
        title: 'The access was not approved',
        sentences: [
          'The sign-in was cancelled or the permissions kailenty requests were declined, so your calendar is not connected. Nothing was changed.',
          'kailenty asks for the narrowest set of permissions that lets it read availability, write bookings and create Teams links. To connect, start the connection again from your workspace and approve them.',
        ],
      };
    case 'MICROSOFT_ACCOUNT_DISABLED':
      return {
        title: 'Microsoft says this account cannot sign in',
        sentences: [
          'Microsoft 365 reports the account as disabled or blocked from signing in. Only active accounts can connect.',
          `Ask your Microsoft 365 administrator to check the account in the Microsoft Entra admin centre. ${TRY_AGAIN}`,
        ],
      };
    case 'MICROSOFT_UNAVAILABLE':
      return {
        title: 'Microsoft 365 could not be reached',
        sentences: [
          'kailenty could not reach Microsoft to finish connecting your calendar. Nothing was changed.',
          'Please try again in a few minutes, from your workspace.',
        ],
      };
    default:
      // MICROSOFT_SIGN_IN_FAILED, and any refusal without words of its own.
      return {
        title: 'The sign-in did not complete',
        sentences: [
          'Microsoft did not complete the sign-in, so your calendar is not connected.',
          `Sign-in runs through Microsoft, so your organisation's conditional access, multi-factor and device policies apply. ${TRY_AGAIN} If it keeps failing, ask your Microsoft 365 administrator.`,
        ],
      };
  }
}

/** The sentence of a connected account that cannot create Teams meetings (TEAMS_LICENCE_MISSING). */
export const TEAMS_LICENCE_MISSING_WORDS =
  'This account cannot create Microsoft Teams meetings: bookings set to meet over Teams will be confirmed without a join link. Teams links require a Teams licence on the host account; ask your Microsoft 365 administrator to assign one, then connect again.';

const title = (t: string) => `${t} – kailenty`;

export function connectionResultHtml(assets: WebAssets, view: ConnectionResultView): string {
  const words = connectionWords(view.result, { name: view.memberName, email: view.memberEmail });
  const ok = view.result === 'connected';
  return renderPage(assets, {
    title: title(words.title),
    bodyClass: 'setup',
    main: html`<section
      class="card result ${ok ? 'result-ok' : 'result-problem'}"
      aria-labelledby="result-title"
    >
      <p class="eyebrow">Microsoft 365 connection</p>
      <h1 id="result-title">${words.title}</h1>
      <p>${words.sentences[0]}</p>
      ${
        ok && view.mailbox
          ? html`<dl class="summary">
              <div>
                <dt>Member</dt>
                <dd>${view.memberName}</dd>
              </div>
              <div>
                <dt>Mailbox</dt>
                <dd>${view.mailbox}</dd>
              </div>
            </dl>`
          : ''
      }
      ${words.sentences.slice(1).map((s) => html`<p>${s}</p>`)}
      ${
        ok && view.teamsEnabled === false
          ? html`<p class="warning" id="teams-warning">${TEAMS_LICENCE_MISSING_WORDS}</p>`
          : ''
      }
      ${
        view.adminConsent
          ? html`<h2>The link for your administrator</h2>
              <p>
                It works for 7 days. Opening it shows the administrator what kailenty asks for and why, before
                Microsoft's consent screen.
              </p>
              <p class="link-box">
                <a id="admin-consent-link" href="${view.adminConsent.url}">${view.adminConsent.url}</a>
              </p>`
          : ''
      }
    </section>`,
  });
}

export function adminConsentPageHtml(
  assets: WebAssets,
  view: AdminConsentPageView,
  permissions: readonly Permission[],
  continueHref: string,
): string {
  return renderPage(assets, {
    title: title('Approve kailenty for your organisation'),
    bodyClass: 'setup',
    main: html`<section class="card" aria-labelledby="consent-title">
        <p class="eyebrow">${view.workspaceName} · for Microsoft 365 administrators</p>
        <h1 id="consent-title">Approve kailenty for your organisation</h1>
        <p>
          kailenty connects to Microsoft 365 as a registered application in Microsoft Entra ID.
          ${view.workspaceName} asks an administrator to approve the permissions below once, on behalf of the
          organisation, so that its members can connect their Outlook calendars.
        </p>
        ${
          view.tenant
            ? html`<p>This link is for the Microsoft 365 organisation <strong>${view.tenant}</strong>.</p>`
            : ''
        }
      </section>
      <section class="card" aria-labelledby="permissions-title">
        <h2 id="permissions-title">Permissions kailenty requests</h2>
        <ul class="permissions">
          ${permissions.map(
            (p) =>
              html`<li>
                <span class="scope"><code>${p.scope}</code> <span class="access">${p.access}</span></span>
                <span class="purpose">${p.purpose}</span>
              </li>`,
          )}
        </ul>
        <p class="hint">
          The exact Microsoft Graph permission names are shown on the consent screen and remain visible in
          Microsoft Entra. kailenty never asks for access it does not use.
        </p>
      </section>
      <section class="card" aria-labelledby="meaning-title">
        <h2 id="meaning-title">What consent means</h2>
        <ul class="points">
          <li>
            Consent covers the whole organisation: Microsoft registers kailenty as an enterprise application
            in your tenant with the permissions shown, and users then connect with their own Microsoft
            accounts without seeing the consent prompt again.
          </li>
          <li>
            It does not give kailenty a password or standing access to your whole tenant. It authorises the
            specific permissions above, scoped to the accounts that sign in.
          </li>
          <li>
            You can review the granted permissions, see which users have signed in, and revoke access at any
            time in the Microsoft Entra admin centre, under Enterprise applications. Access to read and write
            calendars stops immediately when consent is withdrawn.
          </li>
          <li>
            A Global Administrator, Privileged Role Administrator, Cloud Application Administrator or
            Application Administrator can approve. After the consent screen, Microsoft asks you to sign in
            once more so that kailenty can confirm who granted it.
          </li>
        </ul>
        <p class="actions">
          <a class="button" id="continue" href="${continueHref}">Continue to Microsoft</a>
        </p>
      </section>`,
  });
}

/** What an administrator reads after Microsoft, for each result of the admin consent callback. */
export function adminConsentWords(view: AdminConsentResultView): ResultWords {
  switch (view.result) {
    case 'admin_consent_granted':
      return {
        title: 'Consent granted',
        sentences: [
          `kailenty is now approved for your organisation, and ${view.workspaceName} is connected to its Microsoft 365 tenant.`,
          'Members can now connect their calendars with their own Microsoft accounts, without seeing the consent prompt again. You can review the granted permissions, or revoke access at any time, in the Microsoft Entra admin centre under Enterprise applications.',
        ],
      };
    case 'ADMIN_CONSENT_DECLINED':
      return { title: 'Consent was declined', sentences: [view.message ?? ''] };
    case 'TENANT_MISMATCH':
      return { title: 'Consent was given for another organisation', sentences: [view.message ?? ''] };
    case 'MICROSOFT_UNAVAILABLE':
      return { title: 'Microsoft 365 could not be reached', sentences: [view.message ?? ''] };
    default:
      // ADMIN_CONSENT_NOT_VERIFIED: the message says which check failed and who must do what.
      return { title: 'Consent could not be verified', sentences: [view.message ?? ''] };
  }
}

export function adminConsentResultHtml(
  assets: WebAssets,
  view: AdminConsentResultView,
  permissions: readonly Permission[],
): string {
  const words = adminConsentWords(view);
  const ok = view.result === 'admin_consent_granted';
  const purpose = new Map(permissions.map((p) => [p.scope.toLowerCase(), p.purpose]));
  const granted: SafeHtml | string = ok
    ? html`<dl class="summary">
          <div>
            <dt>Tenant</dt>
            <dd>${view.tenantId}</dd>
          </div>
        </dl>
        <h2>Permissions granted</h2>
        <ul class="permissions">
          ${view.scopes.map(
            (scope) =>
              html`<li>
                <span class="scope"><code>${scope}</code></span>
                ${
                  purpose.has(scope.toLowerCase())
                    ? html`<span class="purpose">${purpose.get(scope.toLowerCase())}</span>`
                    : ''
                }
              </li>`,
          )}
        </ul>`
    : '';
  return renderPage(assets, {
    title: title(words.title),
    bodyClass: 'setup',
    main: html`<section
      class="card result ${ok ? 'result-ok' : 'result-problem'}"
      aria-labelledby="result-title"
    >
      <p class="eyebrow">${view.workspaceName} · Microsoft 365 admin consent</p>
      <h1 id="result-title">${words.title}</h1>
      <p>${words.sentences[0]}</p>
      ${granted} ${words.sentences.slice(1).map((s) => html`<p>${s}</p>`)}
      ${
        view.retryUrl
          ? html`<p class="actions">
              <a class="button" id="retry" href="${view.retryUrl}">Open the consent page again</a>
            </p>`
          : ''
      }
    </section>`,
  });
}

/** A result or consent link that is forged or past its time: no detail, and what to do instead. */
export const EXPIRED_RESULT: ResultWords = {
  title: 'This page has expired',
  sentences: [
    'This result link is not valid any more: result pages work for 30 minutes after a sign-in.',
    'Your workspace shows whether your calendar is connected. If it is not, start the connection again from there.',
  ],
};

export const EXPIRED_CONSENT_LINK: ResultWords = {
  title: 'This admin consent link has expired',
  sentences: [
    'The link is not valid any more (links for administrators work for 7 days, or an hour when made for one consent), or it was changed on the way.',
    'Ask the person who sent it for a new one: kailenty makes a fresh link each time the workspace’s Microsoft 365 tenant status is opened.',
  ],
};
