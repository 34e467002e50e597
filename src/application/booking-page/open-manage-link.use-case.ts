// Follows a guest's manage link to its booking. The token is the only credential: a token that is not
// one of ours, or one whose booking is cancelled and over, leads to "not found" — never to another booking.
import type { Booking } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { BookingRepository } from '../ports/booking.repository.js';
import { Clock } from '../ports/clock.js';
import { ManageTokens } from '../ports/manage-tokens.js';

export class OpenManageLink {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly tokens: ManageTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<Booking> {
    const hash = this.tokens.hash(input.token);
    const booking = hash === null ? null : await this.bookings.findByManageTokenHash(hash);
    if (!booking || booking.manageToken?.hash !== hash || booking.manageLinkExpired(this.clock.now())) {
      throw DomainError.notFound('Booking');
    }
    return booking;
  }
}
