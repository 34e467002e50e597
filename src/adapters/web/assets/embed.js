// kailenty embed: <script src="PUBLIC_URL/embed.js" async></script> and
// <div data-kailenty-booking="BOOKING_URL"></div> show the booking page in an iframe that grows with its
// content. After a booking, { type: 'kailenty:booking.created', booking: { id, start, end, manageUrl } } is
// posted to this window (origin: this page's own) and a 'kailenty:booking.created' DOM event bubbles from
// the div. Messages are taken only from the iframe itself, at the booking page's origin.
(function () {
  'use strict';
  var frames = [];

  function mount(container) {
    if (container.getAttribute('data-kailenty-mounted')) return;
    var url;
    try {
      url = new URL(container.getAttribute('data-kailenty-booking'), document.baseURI);
    } catch {
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
    url.searchParams.set('embed', window.location.origin);
    var iframe = document.createElement('iframe');
    iframe.src = url.toString();
    iframe.title = container.getAttribute('data-kailenty-title') || 'Book a time';
    iframe.setAttribute('loading', 'lazy');
    iframe.style.cssText = 'display:block;width:100%;min-width:280px;height:640px;border:0;overflow:hidden;';
    container.setAttribute('data-kailenty-mounted', 'true');
    container.appendChild(iframe);
    frames.push({ iframe: iframe, container: container, origin: url.origin });
  }

  window.addEventListener('message', function (event) {
    var frame = null;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].iframe.contentWindow === event.source) frame = frames[i];
    }
    if (!frame || event.origin !== frame.origin) return;
    var data = event.data || {};
    if (data.type === 'kailenty:frame.resize' && typeof data.height === 'number' && data.height > 0) {
      frame.iframe.style.height = Math.min(Math.ceil(data.height), 20000) + 'px';
    } else if (data.type === 'kailenty:frame.booking-created' && data.booking) {
      var booking = {
        id: String(data.booking.id),
        start: String(data.booking.start),
        end: String(data.booking.end),
        manageUrl: data.booking.manageUrl === null ? null : String(data.booking.manageUrl),
      };
      window.postMessage({ type: 'kailenty:booking.created', booking: booking }, window.location.origin);
      frame.container.dispatchEvent(
        new CustomEvent('kailenty:booking.created', { detail: booking, bubbles: true }),
      );
    }
  });

  function mountAll() {
    var nodes = document.querySelectorAll('[data-kailenty-booking]');
    for (var i = 0; i < nodes.length; i++) mount(nodes[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
