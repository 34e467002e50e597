// The secrets of guests' manage links: made when a booking is made, kept only hashed (to find the booking)
// and sealed (to write the link again in responses and webhooks), never in clear.
export interface IssuedManageToken {
  /** What goes into the link: unguessable (≥ 128 bits), URL-safe. */
  token: string;
  hash: string;
  sealed: string;
}

export abstract class ManageTokens {
  /** A new token for this booking; its sealed form opens only for the same booking id. */
  abstract issue(bookingId: string): IssuedManageToken;
  /** The token again, or null when the sealed form is not this booking's or its key is gone. */
  abstract reveal(bookingId: string, sealed: string): string | null;
  /** The lookup hash of a token as given in a link; null when it cannot be a token at all. */
  abstract hash(token: string): string | null;
}
