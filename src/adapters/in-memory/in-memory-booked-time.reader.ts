// Bookings' busy time set by hand, for tests of slots before (and besides) the real bookings.
import { BookedTimeReader, type BookedInterval } from '@application/ports/booked-time.reader.js';

export class InMemoryBookedTimeReader extends BookedTimeReader {
  private readonly byHost = new Map<string, (BookedInterval & { workspaceId: string })[]>();

  add(workspaceId: string, hostId: string, interval: BookedInterval): void {
    const list = this.byHost.get(hostId) ?? [];
    list.push({ ...interval, workspaceId });
    this.byHost.set(hostId, list);
  }

  async busyFor(
    workspaceId: string,
    hostIds: readonly string[],
    start: number,
    end: number,
  ): Promise<Map<string, BookedInterval[]>> {
    const result = new Map<string, BookedInterval[]>();
    for (const hostId of hostIds) {
      const found = (this.byHost.get(hostId) ?? [])
        .filter((b) => b.workspaceId === workspaceId && b.start < end && b.end > start)
        .map(({ start: s, end: e, bookingId }) => ({ start: s, end: e, bookingId }));
      if (found.length > 0) result.set(hostId, found);
    }
    return result;
  }
}
