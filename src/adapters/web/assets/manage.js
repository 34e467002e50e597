// The manage page: the booking in the guest's zone, and rescheduling to another offered time or
// cancelling with an optional reason, through the same public JSON the booking page uses.
import { call, sentence, ApiError } from './api.js';
import { detectZone, isZone } from './calendar.js';
import { createPicker } from './picker.js';

const $ = (id) => document.getElementById(id);
const main = $('main');
const base = `/v1/public/manage/${encodeURIComponent(main.dataset.token)}`;
const guestZone = main.dataset.guestZone;
const booking = {
  status: main.dataset.status,
  start: main.dataset.start,
  end: main.dataset.end,
};
let chosen = null;

const picker = createPicker({
  zone: isZone(guestZone) ? guestZone : detectZone(),
  load: async (start, end, timeZone) => {
    const query = new URLSearchParams({ start, end, timeZone });
    return (await call('GET', `${base}/slots?${query}`)).slots;
  },
  onChoose: (slot, zone) => {
    chosen = { slot, zone };
    $('move-summary').textContent =
      `From ${when(booking.start, booking.end, zone)} to ${when(slot.start, slot.end, zone)}.`;
    $('move-error').textContent = '';
    show('confirm-move');
    $('confirm-move-heading').focus();
  },
});
let pickerStarted = false;

function when(start, end, zone) {
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

function show(section) {
  for (const id of ['actions', 'reschedule', 'confirm-move', 'cancel-form']) $(id).hidden = id !== section;
}

function notice(text) {
  $('notice').textContent = text || '';
  $('notice').hidden = !text;
}

function renderState() {
  const zone = picker.zone;
  const text = $('when');
  text.textContent = when(booking.start, booking.end, zone);
  text.setAttribute('datetime', booking.start);
  const over = Date.parse(booking.end) <= Date.now();
  if (booking.status === 'cancelled') {
    $('state').textContent = 'This booking is cancelled.';
    show(null);
  } else if (over) {
    $('state').textContent = 'This meeting is over.';
    show(null);
  } else {
    $('state').textContent = 'Your booking is confirmed.';
    show('actions');
  }
}

$('start-reschedule').addEventListener('click', async () => {
  notice('');
  show('reschedule');
  if (!pickerStarted) {
    pickerStarted = true;
    await picker.start(sentence);
  }
  picker.focus();
});
$('close-reschedule').addEventListener('click', () => {
  show('actions');
  $('start-reschedule').focus();
});
$('move-back').addEventListener('click', () => {
  show('reschedule');
  picker.focus();
});
$('move-confirm').addEventListener('click', async () => {
  const button = $('move-confirm');
  button.disabled = true;
  try {
    const moved = await call('POST', `${base}/reschedule`, { start: chosen.slot.start });
    Object.assign(booking, { start: moved.start, end: moved.end, status: moved.status });
    renderState();
    notice(
      `Done: your booking is moved to ${when(moved.start, moved.end, chosen.zone)}. The host's calendar and your invitation are updated.`,
    );
    $('start-reschedule').focus();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE') {
      notice(sentence(error));
      show('reschedule');
      await picker.reload();
      picker.focus();
    } else {
      $('move-error').textContent = sentence(error);
    }
  } finally {
    button.disabled = false;
  }
});

$('start-cancel').addEventListener('click', () => {
  notice('');
  $('cancel-error').textContent = '';
  show('cancel-form');
  $('cancel-heading').focus();
});
$('cancel-back').addEventListener('click', () => {
  show('actions');
  $('start-cancel').focus();
});
$('cancel-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = $('cancel-confirm');
  button.disabled = true;
  const reason = $('cancel-reason').value.trim();
  try {
    const cancelled = await call('POST', `${base}/cancel`, reason ? { reason } : {});
    booking.status = cancelled.status;
    renderState();
    notice('Your booking is cancelled. The host is told, and the meeting is removed from their calendar.');
    $('state').focus?.();
  } catch (error) {
    $('cancel-error').textContent = sentence(error);
  } finally {
    button.disabled = false;
  }
});

renderState();
