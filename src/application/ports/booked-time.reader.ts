// The time kailenty's own confirmed bookings take from each host, so that slots never offer it twice
// (Microsoft 365 may not show a just-made booking yet).
export interface BookedInterval {
  /** Epoch ms, half-open [start, end), already widened by the buffers the booking was made with. */
  start: number;
  end: number;
  bookingId: string;
}

export abstract class BookedTimeReader {
  /** Per host id, the confirmed bookings overlapping [start, end); hosts without any may be absent. */
  abstract busyFor(
    workspaceId: string,
    hostIds: readonly string[],
    start: number,
    end: number,
  ): Promise<Map<string, BookedInterval[]>>;
}
