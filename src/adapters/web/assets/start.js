// The sandbox start page: times in the browser's locale and zone, and the recent bookings kept fresh (the
// page itself is read again every few seconds while it is visible, and the list swapped when it changed).

const REFRESH_MS = 5000;

const format = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

function localTimes(root) {
  for (const time of root.querySelectorAll('time[datetime]')) {
    const instant = new Date(time.getAttribute('datetime'));
    if (!Number.isNaN(instant.getTime())) time.textContent = format.format(instant);
  }
}

const bookings = document.getElementById('bookings');
let shown = bookings ? bookings.innerHTML : '';
localTimes(document);

async function refresh() {
  if (document.hidden || !bookings) return;
  try {
    const answer = await fetch('/', { headers: { accept: 'text/html' }, cache: 'no-store' });
    if (!answer.ok) return;
    const fresh = new window.DOMParser()
      .parseFromString(await answer.text(), 'text/html')
      .getElementById('bookings');
    if (!fresh || fresh.innerHTML === shown) return;
    shown = fresh.innerHTML;
    localTimes(fresh);
    bookings.replaceChildren(...fresh.childNodes);
  } catch {
    // Offline or restarting: the next round tries again.
  }
}

window.setInterval(refresh, REFRESH_MS);
document.addEventListener('visibilitychange', refresh);
