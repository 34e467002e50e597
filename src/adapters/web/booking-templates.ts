// The booking and manage pages as HTML: what the server knows (the event type, the booking) is written
// here, escaped; the times come from book.js / manage.js, which fill the time picker below.
import type { BookingPage } from '@application/booking-page/get-booking-page.use-case.js';
import type { PublicBookingView } from '@application/booking-page/public-booking-view.js';
import {
  MAX_LONG_TEXT_ANSWER_LENGTH,
  MAX_TEXT_ANSWER_LENGTH,
  answerText,
  type BookingQuestion,
} from '@domain/event-type/booking-question.js';
import { html, renderPage, type SafeHtml } from './html.js';
import type { WebAssets } from './web-assets.js';

function where(location: { kind: string; value?: string | null }): string {
  if (location.kind === 'teams') return 'Microsoft Teams meeting (the link comes with your confirmation)';
  if (location.kind === 'phone') return `Phone call: ${location.value ?? ''}`;
  return `In person: ${location.value ?? ''}`;
}

/**
 * Where a room event type meets, before a time is chosen: the pool's rooms by name (a room's name is its address
 * when it was given none), as the booking takes the first free one. Null without rooms.
 */
function roomLine(pool: BookingPage['eventType']['rooms']): string | null {
  if (!pool) return null;
  const names = pool.rooms.map((r) => r.name ?? r.email);
  const which = names.length < 2 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return pool.required ? `In a meeting room: ${which}` : `In a meeting room when one is free: ${which}`;
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours > 1 ? 's' : ''}${rest ? ` ${rest} minutes` : ''}`;
}

/**
 * One input per question, labelled with the question's label and whether it must be answered; choices are
 * fieldsets whose legend is the label. book.js reads them by `data-question` and puts each refusal in the
 * question's own error line (`q-<id>-error`), which the inputs name in aria-describedby.
 */
function questionField(q: BookingQuestion): SafeHtml {
  const id = `q-${q.id}`;
  const mark = q.required ? ' (required)' : ' (optional)';
  const error = `${id}-error`;
  const required = q.required ? html`required` : '';
  const data = { question: q.id, kind: q.kind };
  switch (q.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const type = q.kind === 'single_choice' ? 'radio' : 'checkbox';
      return html`<fieldset
        class="field choices"
        id="${id}"
        data-question="${data.question}"
        data-kind="${data.kind}"
        aria-describedby="${error}"
        data-required="${String(q.required)}"
      >
        <legend>${q.label}${mark}</legend>
        ${(q.options ?? []).map(
          (option, i) =>
            html`<label class="choice"
              ><input
                type="${type}"
                name="${id}"
                value="${option}"
                id="${id}-${i}"
                ${type === 'radio' ? required : ''}
              />
              ${option}</label
            >`,
        )}
        <span id="${error}" class="field-error"></span>
      </fieldset>`;
    }
    case 'checkbox':
      return html`<div class="field choices" data-question="${data.question}" data-kind="${data.kind}">
        <label class="choice" for="${id}"
          ><input
            type="checkbox"
            id="${id}"
            name="${id}"
            value="yes"
            ${required}
            aria-describedby="${error}"
          />
          ${q.label}${mark}</label
        >
        <span id="${error}" class="field-error"></span>
      </div>`;
    default:
      return textField(q, id, error, required);
  }
}

/** text, long_text and phone: one control under its label, its error line (and the phone's hint) below. */
function textField(q: BookingQuestion, id: string, error: string, required: SafeHtml | string): SafeHtml {
  const phone = q.kind === 'phone';
  const hint = phone
    ? html`<span id="${id}-hint" class="hint">With the country code, like +44 20 7946 0958.</span>`
    : '';
  const describedBy = phone ? `${id}-hint ${error}` : error;
  const control =
    q.kind === 'long_text'
      ? html`<textarea
          id="${id}"
          name="${id}"
          rows="3"
          maxlength="${MAX_LONG_TEXT_ANSWER_LENGTH}"
          ${required}
          aria-describedby="${describedBy}"
        ></textarea>`
      : html`<input
          id="${id}"
          name="${id}"
          ${phone ? html`type="tel" autocomplete="tel"` : ''}
          maxlength="${phone ? 40 : MAX_TEXT_ANSWER_LENGTH}"
          ${required}
          aria-describedby="${describedBy}"
        />`;
  return html`<div class="field" data-question="${q.id}" data-kind="${q.kind}">
    <label for="${id}">${q.label}${q.required ? ' (required)' : ' (optional)'}</label>
    ${control} ${hint}
    <span id="${error}" class="field-error"></span>
  </div>`;
}

/** The guest's answers on the manage page, as the booking keeps them. */
function answersList(answers: PublicBookingView['answers']): SafeHtml | string {
  if (answers.length === 0) return '';
  return html`<section class="answers" aria-labelledby="answers-heading">
    <h2 id="answers-heading">Your answers</h2>
    <dl>
      ${answers.map(
        (a) =>
          html`<dt>${a.label}</dt>
            <dd>${answerText(a)}</dd>`,
      )}
    </dl>
  </section>`;
}

/** The week of days and the day's times; the script fills them (shared by booking and rescheduling). */
export function timePicker(heading: string): SafeHtml {
  return html`<section id="picker" class="picker" aria-labelledby="picker-heading">
    <h2 id="picker-heading">${heading}</h2>
    <p class="zone-row">
      <label for="zone">Times are shown in</label>
      <select id="zone" name="zone">
        <option value="UTC">UTC</option>
      </select>
    </p>
    <div class="week-nav">
      <button type="button" id="prev-week" class="secondary">Previous week</button>
      <h3 id="week-label" class="week-label">Loading times…</h3>
      <button type="button" id="next-week" class="secondary">Next week</button>
    </div>
    <ol id="days" class="days" aria-label="Days of the week"></ol>
    <div id="times" class="times" aria-live="polite"></div>
    <p id="picker-status" class="status" role="status"></p>
  </section>`;
}

export function bookingPageHtml(
  assets: WebAssets,
  page: BookingPage,
  options: { embed: string | null },
): string {
  const { eventType } = page;
  const hosts = page.hostNames.length > 0 ? hostList(page.hostNames, eventType.isCollective) : null;
  const room = roomLine(eventType.rooms);
  return renderPage(assets, {
    title: `${eventType.title} – ${page.workspaceName}`,
    scripts: ['book.js'],
    bodyClass: options.embed ? 'embedded' : undefined,
    data: { page: 'book', 'event-type': eventType.id, duration: String(eventType.durationMinutes) },
    main: html`<header class="card intro">
        <p class="eyebrow">${page.workspaceName}</p>
        <h1>${eventType.title}</h1>
        <ul class="facts">
          <li>${duration(eventType.durationMinutes)}</li>
          ${hosts ? html`<li>With ${hosts}</li>` : ''}
          <li>${where(eventType.location)}</li>
          ${room ? html`<li>${room}</li>` : ''}
        </ul>
      </header>
      <div id="flow" class="card">
        <p id="notice" class="notice" role="alert" hidden></p>
        ${timePicker('Choose a time')}
        <section id="details" class="details" aria-labelledby="details-heading" hidden>
          <h2 id="details-heading" tabindex="-1">Your details</h2>
          <p id="chosen" class="chosen"></p>
          <p id="held" class="held" role="status" hidden></p>
          <form id="booking-form" novalidate>
            <p class="field">
              <label for="guest-name">Your name</label>
              <input
                id="guest-name"
                name="name"
                autocomplete="name"
                required
                maxlength="200"
                aria-describedby="guest-name-error"
              />
              <span id="guest-name-error" class="field-error"></span>
            </p>
            <p class="field">
              <label for="guest-email">Your e-mail address</label>
              <input
                id="guest-email"
                name="email"
                type="email"
                autocomplete="email"
                required
                maxlength="320"
                aria-describedby="guest-email-hint guest-email-error"
              />
              <span id="guest-email-hint" class="hint">The invitation is sent to this address.</span>
              <span id="guest-email-error" class="field-error"></span>
            </p>
            ${eventType.questions.map(questionField)}
            <p class="field">
              <label for="guest-note">Anything the host should know? (optional)</label>
              <textarea
                id="guest-note"
                name="note"
                rows="3"
                maxlength="5000"
                aria-describedby="guest-note-error"
              ></textarea>
              <span id="guest-note-error" class="field-error"></span>
            </p>
            <p id="form-error" class="form-error" role="alert"></p>
            <div class="actions">
              <button type="button" id="back" class="secondary">Back to times</button>
              <button type="submit" id="confirm">Confirm booking</button>
            </div>
          </form>
        </section>
        <section id="done" class="done" aria-labelledby="done-heading" hidden>
          <h2 id="done-heading" tabindex="-1">You are booked</h2>
          <div id="done-body"></div>
        </section>
        <noscript
          ><p>
            This page needs JavaScript to show the free times. Please turn it on, or ask the host for another
            way to book.
          </p></noscript
        >
      </div>`,
  });
}

export function managePageHtml(assets: WebAssets, booking: PublicBookingView, token: string): string {
  const join = booking.location.kind === 'teams' ? (booking.location.joinUrl ?? null) : null;
  return renderPage(assets, {
    title: `${booking.title} – your booking`,
    scripts: ['manage.js'],
    data: {
      page: 'manage',
      token,
      status: booking.status,
      start: booking.start,
      end: booking.end,
      'guest-zone': booking.guest.timeZone ?? '',
    },
    main: html`<header class="card intro">
        <p class="eyebrow">Your booking</p>
        <h1>${booking.title}</h1>
        <ul class="facts">
          <li>
            When:
            <time id="when" datetime="${booking.start}"
              >${booking.start.replace('T', ' ').replace('Z', ' UTC')}</time
            >
          </li>
          ${booking.hostNames.length > 0 ? html`<li>With ${hostList(booking.hostNames, booking.hostNames.length > 1)}</li>` : ''}
          <li>
            ${
              join
                ? html`Microsoft Teams:
                    <a href="${join}" target="_blank" rel="noopener noreferrer">join the meeting</a>`
                : booking.location.kind === 'teams'
                  ? 'Microsoft Teams meeting'
                  : where(booking.location)
            }
          </li>
          ${booking.room ? html`<li>Room: ${booking.room}</li>` : ''}
          <li>Booked by ${booking.guest.name} (${booking.guest.email})</li>
        </ul>
        ${answersList(booking.answers)}
        ${booking.warnings.map((w) => html`<p class="warning">${w.message}</p>`)}
        ${booking.icsUrl ? html`<p><a href="${booking.icsUrl}" download="booking.ics">Add to my calendar (.ics)</a></p>` : ''}
      </header>
      <div id="flow" class="card">
        <p id="notice" class="notice" role="alert" hidden></p>
        <p id="state" class="state" role="status"></p>
        <div id="actions" class="actions" hidden>
          <button type="button" id="start-reschedule">Reschedule</button>
          <button type="button" id="start-cancel" class="danger">Cancel booking</button>
        </div>
        <div id="reschedule" hidden>
          ${timePicker('Choose a new time')}
          <div class="actions">
            <button type="button" id="close-reschedule" class="secondary">Keep the current time</button>
          </div>
        </div>
        <section id="confirm-move" aria-labelledby="confirm-move-heading" hidden>
          <h2 id="confirm-move-heading" tabindex="-1">Move your booking?</h2>
          <p id="move-summary"></p>
          <p id="move-error" class="form-error" role="alert"></p>
          <div class="actions">
            <button type="button" id="move-back" class="secondary">Back to times</button>
            <button type="button" id="move-confirm">Move my booking</button>
          </div>
        </section>
        <form id="cancel-form" aria-labelledby="cancel-heading" hidden>
          <h2 id="cancel-heading" tabindex="-1">Cancel your booking</h2>
          <p class="field">
            <label for="cancel-reason">Reason (optional, the host will see it)</label>
            <textarea id="cancel-reason" name="reason" rows="3" maxlength="1000"></textarea>
          </p>
          <p id="cancel-error" class="form-error" role="alert"></p>
          <div class="actions">
            <button type="button" id="cancel-back" class="secondary">Keep my booking</button>
            <button type="submit" id="cancel-confirm" class="danger">Cancel the booking</button>
          </div>
        </form>
      </div>`,
  });
}

/** "Ada, Bob" (any one of them), or for a collective event type "Ada, Bob and Cy" (all of them together). */
function hostList(names: readonly string[], together: boolean): string {
  if (!together || names.length < 2) return names.join(', ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
