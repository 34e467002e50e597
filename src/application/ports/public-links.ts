// Absolute URLs of the pages and files this service shows to people in a browser (under PUBLIC_URL).
export abstract class PublicLinks {
  /** An event type's booking page. */
  abstract bookingPage(eventTypeId: string): string;
  /** A guest's manage page for one booking. */
  abstract manage(token: string): string;
  /** The booking's iCalendar file, reached through the same token. */
  abstract ics(token: string): string;
}
