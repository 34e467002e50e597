// The public pages' URLs, all under PUBLIC_URL (no trailing slash).
import { PublicLinks } from '@application/ports/public-links.js';

export const BOOKING_PAGE_PATH = '/book';
export const MANAGE_PAGE_PATH = '/manage';

export class UrlPublicLinks extends PublicLinks {
  constructor(private readonly publicUrl: string) {
    super();
  }

  bookingPage(eventTypeId: string): string {
    return `${this.publicUrl}${BOOKING_PAGE_PATH}/${eventTypeId}`;
  }

  manage(token: string): string {
    return `${this.publicUrl}${MANAGE_PAGE_PATH}/${token}`;
  }

  ics(token: string): string {
    return `${this.publicUrl}/v1/public/manage/${token}/booking.ics`;
  }
}
