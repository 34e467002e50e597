// Lists a workspace's bookings: a filtered page ordered by start.
import type { Booking, BookingStatus } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { BookingRepository } from '../ports/booking.repository.js';
import type { Page, PageRequest } from '../shared/page.js';

export class ListBookings {
  constructor(private readonly bookings: BookingRepository) {}

  execute(input: {
    workspaceId: string;
    filter: { start?: Date; end?: Date; hostId?: string; status?: BookingStatus };
    page: PageRequest;
  }): Promise<Page<Booking>> {
    const { start, end } = input.filter;
    if (start && end && end.getTime() <= start.getTime()) {
      throw DomainError.validation([{ field: 'end', message: 'must be after start' }]);
    }
    return this.bookings.list(input.workspaceId, input.filter, input.page);
  }
}
