// The booking page: pick a time, give a name and e-mail, confirm. Picking a time holds it for the guest for
// five minutes (one hold per tab: picking another time, or going back, gives the last one back), and the
// confirmation books from that hold; when no hold could be placed the confirmation books the start as before.
// Each confirmation attempt has its own Idempotency-Key, kept while the details stay the same, so a double
// click or a retry books once.
import { call, sentence, ApiError } from './api.js';
import { detectZone, isZone } from './calendar.js';
import { createPicker } from './picker.js';
import { announceBooking, embedded, followHeight } from './frame.js';

const $ = (id) => document.getElementById(id);
const main = $('main');
const eventTypeId = main.dataset.eventType;
const base = `/v1/public/booking-pages/${encodeURIComponent(eventTypeId)}`;
const params = new URLSearchParams(location.search);

const picker = createPicker({
  zone: isZone(params.get('zone') || '') ? params.get('zone') : detectZone(),
  initialDay: /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') ? params.get('date') : undefined,
  load: async (start, end, timeZone) => {
    const query = new URLSearchParams({ start, end, timeZone });
    return (await call('GET', `${base}/slots?${query}`)).slots;
  },
  onChoose: choose,
});

const form = $('booking-form');
const fields = { name: $('guest-name'), email: $('guest-email'), note: $('guest-note') };
/** The event type's questions as the page renders them: one element per question, with its id and kind. */
const questions = [...form.querySelectorAll('[data-question]')];
let chosen = null;
let attempt = null;
/** The hold kept for the chosen time ({ id, expiresAt }), the request placing it, and its expiry timer. */
let held = null;
let holding = null;
let holdTimer = null;

/** This tab's page session: one live hold at a time (a random value, kept while the tab lives). */
const session = (() => {
  const fresh = crypto.randomUUID();
  try {
    const kept = sessionStorage.getItem('kailenty-hold-session');
    if (kept) return kept;
    sessionStorage.setItem('kailenty-hold-session', fresh);
  } catch {
    // Storage refused (a sandboxed frame): this page load is the session.
  }
  return fresh;
})();

function show(section) {
  for (const id of ['picker', 'details', 'done']) $(id).hidden = id !== section;
}

function notice(text) {
  const box = $('notice');
  box.textContent = text || '';
  box.hidden = !text;
}

function longWhen(start, end, zone) {
  const date = new Intl.DateTimeFormat(navigator.language, {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const time = new Intl.DateTimeFormat(navigator.language, { timeZone: zone, timeStyle: 'short' });
  return `${date.format(new Date(start))}, ${time.formatRange(new Date(start), new Date(end))} (${zone.replace(/_/g, ' ')})`;
}

function choose(slot, zone) {
  chosen = { slot, zone };
  notice('');
  $('chosen').textContent = longWhen(slot.start, slot.end, zone);
  clearErrors();
  show('details');
  fields.name.focus();
  holding = hold(chosen);
}

function heldStatus(text) {
  const box = $('held');
  box.textContent = text;
  box.hidden = !text;
}

function forgetHold() {
  held = null;
  holding = null;
  clearTimeout(holdTimer);
  heldStatus('');
}

/**
 * Holds the chosen time for the guest (the page session's earlier hold is given back). A time just taken
 * sends them back to the times; any other failure leaves them without a hold: confirming books the start.
 */
async function hold(choice) {
  forgetHold();
  heldStatus('Keeping this time for you…');
  try {
    const placed = await call('POST', `${base}/holds`, { start: choice.slot.start, session });
    if (chosen !== choice) return;
    held = placed;
    const until = new Intl.DateTimeFormat(navigator.language, {
      timeZone: choice.zone,
      timeStyle: 'short',
    }).format(new Date(placed.expiresAt));
    heldStatus(`This time is held for you until ${until}. Please confirm before then.`);
    holdTimer = setTimeout(
      () => heldStatus('The time we held for you has run out. Confirm to book it if it is still free.'),
      Math.max(0, Date.parse(placed.expiresAt) - Date.now()),
    );
  } catch (error) {
    if (chosen !== choice) return;
    heldStatus('');
    if (error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE') backToTimes(sentence(error));
  }
}

/** Back to the times with a notice; what the session held is given back. */
function backToTimes(message) {
  attempt = null;
  chosen = null;
  forgetHold();
  notice(message);
  show('picker');
  picker.reload().then(() => picker.focus());
}

async function releaseHold() {
  const placing = holding;
  forgetHold();
  await placing;
  await call('POST', `${base}/holds/release`, { session }).catch(() => undefined);
}

function clearErrors() {
  for (const key of Object.keys(fields)) $(`guest-${key}-error`).textContent = '';
  for (const input of Object.values(fields)) input.removeAttribute('aria-invalid');
  for (const box of questions) {
    $(`q-${box.dataset.question}-error`).textContent = '';
    for (const input of box.querySelectorAll('input, textarea')) input.removeAttribute('aria-invalid');
  }
  $('form-error').textContent = '';
}

/** A question's answer as the API takes it; undefined when not answered. */
function answerOf(box) {
  const inputs = [...box.querySelectorAll('input, textarea')];
  switch (box.dataset.kind) {
    case 'checkbox':
      return inputs[0].checked;
    case 'single_choice':
      return inputs.find((i) => i.checked)?.value;
    case 'multiple_choice': {
      const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
      return chosen.length > 0 ? chosen : undefined;
    }
    default:
      return inputs[0].value.trim() || undefined;
  }
}

function answers() {
  const out = {};
  for (const box of questions) {
    const value = answerOf(box);
    if (value !== undefined) out[box.dataset.question] = value;
  }
  return out;
}

function questionError(id, text) {
  const box = questions.find((b) => b.dataset.question === id);
  if (!box) return false;
  $(`q-${id}-error`).textContent = text;
  for (const input of box.querySelectorAll('input, textarea')) input.setAttribute('aria-invalid', 'true');
  return true;
}

/** Whether a required question is answered (a required checkbox must be ticked). */
function answered(box) {
  const value = answerOf(box);
  return box.dataset.kind === 'checkbox' ? value === true : value !== undefined;
}

function fieldError(key, text) {
  $(`guest-${key}-error`).textContent = text;
  fields[key].setAttribute('aria-invalid', 'true');
}

/** The browser's own checks first, in words a person understands. */
function checkFields() {
  let ok = true;
  if (!fields.name.value.trim()) {
    fieldError('name', 'Please enter your name.');
    ok = false;
  }
  if (!fields.email.value.trim() || !fields.email.validity.valid) {
    fieldError('email', 'Please enter an e-mail address like name@example.com.');
    ok = false;
  }
  for (const box of questions) {
    const required = box.dataset.required === 'true' || box.querySelector('[required]');
    if (required && !answered(box)) {
      questionError(
        box.dataset.question,
        box.dataset.kind === 'checkbox' ? 'Please tick this box to book.' : 'Please answer this question.',
      );
      ok = false;
    }
  }
  return ok;
}

$('back').addEventListener('click', async () => {
  chosen = null;
  show('picker');
  picker.focus();
  // The times are read again once the hold is given back, so that the guest's own time shows again.
  await releaseHold();
  await picker.reload();
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  if (!chosen || !checkFields()) {
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }
  // A hold still being placed is waited for, so that the booking takes the time it keeps.
  await holding;
  if (!chosen) return;
  const body = {
    ...(held ? { holdId: held.id } : { start: chosen.slot.start }),
    guest: { name: fields.name.value.trim(), email: fields.email.value.trim(), timeZone: chosen.zone },
    ...(fields.note.value.trim() ? { note: fields.note.value.trim() } : {}),
    ...(questions.length > 0 ? { answers: answers() } : {}),
  };
  const fingerprint = JSON.stringify(body);
  if (!attempt || attempt.fingerprint !== fingerprint) attempt = { fingerprint, key: crypto.randomUUID() };
  const button = $('confirm');
  button.disabled = true;
  button.textContent = 'Booking…';
  try {
    const booking = await submit(body, attempt.key);
    attempt = null;
    forgetHold();
    done(booking);
  } catch (error) {
    failed(error);
  } finally {
    button.disabled = false;
    button.textContent = 'Confirm booking';
  }
});

/** Sends the booking; while the first request with this key is still running, waits for its answer. */
async function submit(body, key) {
  for (let i = 0; ; i++) {
    try {
      return await call('POST', `${base}/bookings`, body, { 'idempotency-key': key });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'IDEMPOTENCY_KEY_IN_USE') || i >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function failed(error) {
  if (error instanceof ApiError && ['SLOT_UNAVAILABLE', 'HOLD_EXPIRED'].includes(error.code)) {
    backToTimes(sentence(error));
    return;
  }
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED' && error.errors.length > 0) {
    const map = { 'guest.name': 'name', 'guest.email': 'email', note: 'note' };
    let placed = false;
    for (const e of error.errors) {
      const key = map[e.field];
      if (key) {
        fieldError(key, `Please check this: ${e.message}.`);
        placed = true;
      } else if (
        e.field.startsWith('answers.') &&
        questionError(e.field.slice(8), `Please check this: ${e.message}.`)
      ) {
        placed = true;
      }
    }
    if (placed) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
  }
  $('form-error').textContent = sentence(error);
}

function link(href, text, attributes = {}) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  for (const [k, v] of Object.entries(attributes)) a.setAttribute(k, v);
  return a;
}

function paragraph(...children) {
  const p = document.createElement('p');
  p.append(...children);
  return p;
}

function done(booking) {
  const zone = booking.guest.timeZone || chosen.zone;
  const body = $('done-body');
  const items = [
    paragraph(`${booking.title}: ${longWhen(booking.start, booking.end, zone)}.`),
    booking.hostNames.length ? paragraph(`With ${hostList(booking.hostNames)}.`) : null,
  ];
  const where = booking.location;
  if (where.kind === 'teams' && where.joinUrl) {
    items.push(
      paragraph(
        'Microsoft Teams: ',
        link(where.joinUrl, 'join the meeting', {
          target: '_blank',
          rel: 'noopener noreferrer',
          class: 'join',
        }),
      ),
    );
  } else if (where.kind === 'teams' && booking.warnings.length === 0) {
    items.push(paragraph('Microsoft Teams: the link to join comes with the invitation e-mail.'));
  } else if (where.kind === 'phone') {
    items.push(paragraph(`Phone call: ${where.value}`));
  } else if (where.kind === 'in_person') {
    items.push(paragraph(`In person: ${where.value}`));
  }
  if (booking.room) items.push(paragraph(`Room: ${booking.room}.`));
  for (const warning of booking.warnings) {
    const p = paragraph(warning.message);
    p.className = 'warning';
    items.push(p);
  }
  items.push(paragraph(`An invitation is on its way to ${booking.guest.email}.`));
  const links = document.createElement('p');
  links.className = 'links';
  if (booking.icsUrl)
    links.append(link(booking.icsUrl, 'Add to my calendar (.ics)', { download: 'booking.ics' }));
  if (booking.manageUrl) {
    links.append(
      link(booking.manageUrl, 'Reschedule or cancel', embedded ? { target: '_blank', rel: 'noopener' } : {}),
    );
  }
  items.push(links);
  body.replaceChildren(...items.filter(Boolean));
  form.reset();
  show('done');
  $('done-heading').focus();
  announceBooking(booking);
}

followHeight();
picker.start(sentence);

/** "Ada", or every host of a collective booking: "Ada, Bob and Cy". */
function hostList(names) {
  return names.length < 2
    ? names.join(', ')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
