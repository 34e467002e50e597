// Production stand-in for BookedTimeReader until bookings exist: there are no kailenty bookings yet, so
// they take no time from anyone. Replaced by the bookings repository's reader when bookings land (issue 6).
import { BookedTimeReader, type BookedInterval } from '@application/ports/booked-time.reader.js';

export class NoBookingsYetReader extends BookedTimeReader {
  async busyFor(): Promise<Map<string, BookedInterval[]>> {
    return new Map();
  }
}
