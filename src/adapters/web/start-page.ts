// The start page at `/`: in sandbox mode the demo workspace (members and their connect buttons, event
// types and their booking pages, recent bookings); otherwise a few words naming the service.
import type {
  SandboxOverviewView,
  StartPageBooking,
  StartPageEventType,
  StartPageMember,
} from '../sandbox/sandbox-overview.js';
import { html, renderPage, type SafeHtml } from './html.js';
import type { WebAssets } from './web-assets.js';

export interface SandboxStartPage extends SandboxOverviewView {
  /** The connect forms' token (see PageTokens). */
  formToken: string;
  /** Where the last connect ended, read from the return URL's query. */
  notice: { ok: boolean; text: string } | null;
  emulator: { url: string; caFile: string };
}

const CONNECTION: Record<StartPageMember['connection'], string> = {
  connected: 'Connected',
  not_connected: 'Not connected',
  reauthorization_required: 'Needs to sign in again',
  revoked: 'Access revoked',
};

const STATUS: Record<string, string> = { confirmed: 'Confirmed', cancelled: 'Cancelled' };

function utc(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ') + ' UTC';
}

function member(m: StartPageMember, token: string): SafeHtml {
  const connected = m.connection === 'connected';
  const action =
    m.status !== 'active'
      ? html`<p class="row-aside">
          ${m.status === 'pending' ? 'Pending' : 'Disabled'}: only active members can connect. Activate with
          <code>PATCH /v1/members/${m.id}</code> <code>{"status":"active"}</code>.
        </p>`
      : html`<form
          class="row-aside"
          method="post"
          action="/sandbox/start/connect/${m.id}"
          enctype="text/plain"
        >
          <input type="hidden" name="token" value="${token}" />
          <button type="submit" class="${connected ? 'secondary' : ''}">
            ${connected ? 'Connect again' : 'Connect'}<span class="visually-hidden"> ${m.displayName}</span>
          </button>
        </form>`;
  return html`<li class="row" data-member="${m.id}">
    <div class="row-main">
      <strong>${m.displayName}</strong>
      <span class="row-detail">${m.email} · ${m.role}${m.timeZone ? ` · ${m.timeZone}` : ''}</span>
    </div>
    <span class="badge ${connected ? 'badge-ok' : 'badge-off'}" data-connection="${m.connection}"
      >${CONNECTION[m.connection]}</span
    >
    ${action}
  </li>`;
}

function eventType(e: StartPageEventType): SafeHtml {
  const who =
    e.assignment === 'round_robin'
      ? `Round robin: ${e.hostNames.join(' or ')}`
      : e.assignment === 'collective'
        ? `Collective: ${e.hostNames.join(' and ')}`
        : e.hostNames[0];
  return html`<li class="row">
    <div class="row-main">
      <strong>${e.title}</strong>
      <span class="row-detail"
        >${e.slug} · ${e.durationMinutes} minutes ·
        ${who}${e.rooms.length > 0 ? ` · a room of ${e.rooms.join(', ')}` : ''}</span
      >
    </div>
    ${
      e.bookingUrl
        ? html`<a class="row-aside" href="${e.bookingUrl}"
            >Open the booking page<span class="visually-hidden"> of ${e.title}</span></a
          >`
        : html`<span class="row-aside row-detail"
            >Booking page off (<code>PATCH</code> its <code>bookingPage.enabled</code>)</span
          >`
    }
  </li>`;
}

function booking(b: StartPageBooking): SafeHtml {
  return html`<li class="row" data-booking="${b.id}">
    <div class="row-main">
      <strong><time datetime="${b.start}">${utc(b.start)}</time></strong>
      <span class="row-detail">${b.title} · host ${b.hostName} · guest ${b.guestName}</span>
    </div>
    <span class="badge ${b.status === 'confirmed' ? 'badge-ok' : 'badge-off'}"
      >${STATUS[b.status] ?? b.status}</span
    >
  </li>`;
}

export function sandboxStartPageHtml(assets: WebAssets, page: SandboxStartPage): string {
  return renderPage(assets, {
    title: `kailenty sandbox – ${page.workspaceName}`,
    scripts: ['start.js'],
    bodyClass: 'wide',
    data: { page: 'start' },
    main: html`<header class="card intro">
        <p class="eyebrow">kailenty sandbox</p>
        <h1>${page.workspaceName}</h1>
        <p>
          Scheduling on top of Microsoft 365, here against the bundled Microsoft 365 emulator. Connect a
          member, open a booking page, book a time: the booking shows up below.
        </p>
        ${
          page.notice
            ? html`<p id="notice" class="notice ${page.notice.ok ? 'notice-ok' : ''}" role="status">
                ${page.notice.text}
              </p>`
            : ''
        }
      </header>
      <section class="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <ul class="rows" id="members">
          ${page.members.map((m) => member(m, page.formToken))}
        </ul>
        <p class="hint">
          Connecting signs the member in at the emulator (${page.emulator.url}) and comes back here. Its
          certificate comes from the sandbox's own authority (${page.emulator.caFile}): your browser may ask
          you to accept it.
        </p>
      </section>
      <section class="card" aria-labelledby="event-types-heading">
        <h2 id="event-types-heading">Event types</h2>
        <ul class="rows" id="event-types">
          ${page.eventTypes.map(eventType)}
        </ul>
      </section>
      <section class="card" aria-labelledby="bookings-heading">
        <div class="section-head">
          <h2 id="bookings-heading">Recent bookings</h2>
          <a href="/" id="refresh">Refresh</a>
        </div>
        <div id="bookings">
          ${
            page.bookings.length > 0
              ? html`<ul class="rows">
                  ${page.bookings.map(booking)}
                </ul>`
              : html`<p class="empty">No bookings yet. Open a booking page above and book a time.</p>`
          }
        </div>
        <p class="hint">Newest first; this list refreshes itself every few seconds.</p>
      </section>
      <section class="card" aria-labelledby="api-heading">
        <h2 id="api-heading">The API</h2>
        <p class="links">
          <a href="/docs">API reference (/docs)</a>
          <a href="/docs-json">OpenAPI document (/docs-json)</a>
        </p>
        <p class="hint">
          The demo API key and ready curl lines are in the service's start banner and in sandbox.json.
        </p>
      </section>`,
  });
}

export function servicePageHtml(assets: WebAssets): string {
  return renderPage(assets, {
    title: 'kailenty',
    main: html`<section class="card">
      <h1>kailenty</h1>
      <p>
        Scheduling on top of Microsoft 365: availability from Outlook, bookings with Teams meetings, booking
        pages for guests.
      </p>
      <p>This service answers its API; the reference is at <a href="/docs">/docs</a>.</p>
    </section>`,
  });
}
