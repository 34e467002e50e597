// A booking being rescheduled must not be kept from its new time by its own Outlook event. getSchedule's
// items carry no event id, so that event is recognised by all that is known of it: one item, on its own
// host's calendar (not a room's), exactly at the times last written to it.
import type { CalendarItem } from './availability-policy.js';

/** The items without the booking's own event (`ownEvent`: where it is, null when not known to exist). */
export function withoutOwnEvent<T extends CalendarItem>(
  items: readonly T[],
  ownEvent: { start: number; end: number } | null,
  hostMailbox: string,
): T[] {
  if (ownEvent === null) return [...items];
  const mailbox = hostMailbox.toLowerCase();
  const index = items.findIndex(
    (item) =>
      item.start === ownEvent.start && item.end === ownEvent.end && item.calendar.toLowerCase() === mailbox,
  );
  return index < 0 ? [...items] : [...items.slice(0, index), ...items.slice(index + 1)];
}
