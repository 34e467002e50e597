// Domain events recorded with the change that caused them, for the outbound webhooks to deliver.
export interface DomainEvent {
  workspaceId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
  /**
   * For a booking's facts: the booking and the fact's number in its story. The store refuses a second
   * event with the same booking and number (WriteConflict: the writer read a stale booking; again).
   */
  booking?: { id: string; sequence: number };
}

export abstract class DomainEventOutbox {
  abstract record(event: DomainEvent): Promise<void>;
}
