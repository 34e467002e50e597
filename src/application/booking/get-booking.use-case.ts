// Reads one booking of a workspace.
import type { Booking } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { BookingRepository } from '../ports/booking.repository.js';

export class GetBooking {
  constructor(private readonly bookings: BookingRepository) {}

  async execute(input: { workspaceId: string; bookingId: string }): Promise<Booking> {
    const booking = await this.bookings.findById(input.workspaceId, input.bookingId, { forDisplay: true });
    if (!booking) throw DomainError.notFound('Booking');
    return booking;
  }
}
