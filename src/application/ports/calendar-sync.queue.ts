// The transactional outbox for calendar writes: a booking that Outlook must hear about is queued in the
// same transaction as the change, and a worker (on any instance) brings Outlook in line.
export interface CalendarSyncClaim {
  workspaceId: string;
  bookingId: string;
  attempts: number;
  /** Changes queued while this claim runs bump it, so the work is not lost. */
  generation: number;
}

export abstract class CalendarSyncQueue {
  /** Queues (or re-queues, due now) the booking. Call inside the transaction that changed it. */
  abstract enqueue(workspaceId: string, bookingId: string, now: Date): Promise<void>;
  /**
   * Queues a booking inserted in the same transaction, claimed already by the caller for `leaseMs`: the request
   * that made it writes its event first without a claim of its own, and no worker takes it meanwhile. Returns
   * that claim (attempt 1, generation 0), known without asking the store, so a store may send the write with
   * the transaction's next statement or its commit. The booking cannot be queued already (it was just
   * inserted); if it were, the write fails, at the latest when the transaction commits.
   */
  abstract enqueueClaimed(
    workspaceId: string,
    bookingId: string,
    now: Date,
    leaseMs: number,
  ): Promise<CalendarSyncClaim>;
  /** Claims the next due booking for `leaseMs`, or the given one if it is queued, due and free. */
  abstract claim(now: Date, leaseMs: number, bookingId?: string): Promise<CalendarSyncClaim | null>;
  /** Done: forgets the entry unless it was queued again meanwhile. */
  abstract complete(claim: CalendarSyncClaim): Promise<void>;
  abstract retryAt(claim: CalendarSyncClaim, at: Date, error: string): Promise<void>;
  /**
   * Whether the booking's calendar work is under way: queued and either held by a worker (lease running) or
   * due now. Not once it is done, nor while a failed attempt waits for its retry.
   */
  abstract underway(workspaceId: string, bookingId: string, now: Date): Promise<boolean>;

  /**
   * Resolves once the booking's calendar work is no longer under way (another worker's write ended), or
   * when `signal` aborts. Looks again every `pollMs`: a lease is a row, not something one can wait on.
   */
  async settled(
    workspaceId: string,
    bookingId: string,
    now: () => Date,
    signal: AbortSignal,
    pollMs = 25,
  ): Promise<void> {
    while (!signal.aborted && (await this.underway(workspaceId, bookingId, now())))
      await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
