// When the booking page runs inside embed.js's iframe: tells the embedding page how tall the content is
// and that a booking was made, only ever to the origin embed.js named (the browser checks it is the parent).

function embedOrigin() {
  const value = new URLSearchParams(location.search).get('embed');
  if (!value || window.parent === window) return null;
  try {
    return new URL(value).origin === value ? value : null;
  } catch {
    return null;
  }
}

const origin = embedOrigin();

function post(message) {
  if (origin) window.parent.postMessage(message, origin);
}

export const embedded = origin !== null;

/** Keeps the embedding page's iframe as tall as the content. */
export function followHeight() {
  if (!origin) return;
  let last = 0;
  const report = () => {
    // The document's own height (not the frame's), so the frame can shrink as well as grow.
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      post({ type: 'kailenty:frame.resize', height });
    }
  };
  new ResizeObserver(report).observe(document.body);
  report();
}

export function announceBooking(booking) {
  post({
    type: 'kailenty:frame.booking-created',
    booking: { id: booking.id, start: booking.start, end: booking.end, manageUrl: booking.manageUrl },
  });
}
