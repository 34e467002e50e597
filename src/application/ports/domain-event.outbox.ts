// Domain events recorded with the change that caused them, for the outbound webhooks to deliver.
export interface DomainEvent {
  workspaceId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
}

export abstract class DomainEventOutbox {
  abstract record(event: DomainEvent): Promise<void>;
}
