// One event on its way to one endpoint: attempts, outcomes, and when to try again. Retries back off from
// 10 s, doubling up to 1 h, for 24 hours after the event; then the delivery has failed for good.
export const FIRST_RETRY_DELAY_MS = 10_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
/**
 * How long a started attempt keeps the delivery to the instance that claimed it. Longer than the send
 * timeout, so that a live instance always reports first; after it, a crashed instance's attempt is retried.
 */
export const ATTEMPT_LEASE_MS = 60_000;
export const MAX_ERROR_LENGTH = 500;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The delay before the next attempt after `failedAttempts` failures (1 → 10 s, 2 → 20 s, … ≤ 1 h). */
export function retryDelayMs(failedAttempts: number): number {
  const doublings = Math.max(0, failedAttempts - 1);
  // 2^9 × 10 s already exceeds an hour: cap the exponent so huge counts never overflow.
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(doublings, 20), MAX_RETRY_DELAY_MS);
}

/** When to try again after a failure at `failedAt`, or null to give up (past 24 hours after the event). */
export function nextRetryAt(eventOccurredAt: Date, failedAttempts: number, failedAt: Date): Date | null {
  const next = failedAt.getTime() + retryDelayMs(failedAttempts);
  return next > eventOccurredAt.getTime() + RETRY_WINDOW_MS ? null : new Date(next);
}

export interface WebhookEvent {
  id: string;
  workspaceId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
  /** A booking's fact: the booking, and the fact's number in the booking's story (1, 2, 3 …). */
  booking?: { id: string; sequence: number } | null;
}

/**
 * The exact bytes POSTed, built once when the delivery is scheduled, so that every retry sends the same
 * body (`id` is the event's: receivers deduplicate on it; `sequence`, for booking events, orders them).
 */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.occurredAt.toISOString(),
    ...(event.booking ? { sequence: event.booking.sequence } : {}),
    data: event.data ?? null,
  });
}

/**
 * A booking's deliveries to one endpoint go out in the booking's order: the next waits while an earlier
 * one is pending (being sent, or waiting for a retry), and goes once that one succeeded or was given up.
 * `others` are the endpoint's deliveries; the database's claim asks the same question in SQL.
 */
export function waitsForEarlier(
  delivery: WebhookDeliverySnapshot,
  others: readonly WebhookDeliverySnapshot[],
): boolean {
  const order = delivery.booking;
  if (!order) return false;
  return others.some(
    (o) =>
      o.id !== delivery.id &&
      o.status === 'pending' &&
      o.endpointId === delivery.endpointId &&
      o.booking?.id === order.id &&
      o.booking.sequence < order.sequence,
  );
}

/** One finished attempt, as the delivery log shows it. */
export interface WebhookAttempt {
  /** 1 for the first attempt; a number missing from the log is an attempt whose instance died. */
  number: number;
  startedAt: Date;
  /** From the start of the attempt to its outcome; null for attempts recorded before it was measured. */
  durationMs: number | null;
  /** The receiver's HTTP status, or null when it did not answer. */
  responseStatus: number | null;
  /** Why it failed (null for a 2xx). */
  error: string | null;
}

export interface WebhookDeliverySnapshot {
  id: string;
  workspaceId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  eventOccurredAt: Date;
  /** The booking and its fact's number, for booking events (their deliveries keep that order). */
  booking: { id: string; sequence: number } | null;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** Null once the delivery succeeded or failed for good. */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  /** Every attempt that finished, oldest first. */
  attemptLog: WebhookAttempt[];
  createdAt: Date;
}

export type AttemptOutcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string };

export class WebhookDelivery {
  private constructor(private readonly state: WebhookDeliverySnapshot) {}

  static schedule(input: {
    id: string;
    endpointId: string;
    event: WebhookEvent;
    now: Date;
  }): WebhookDelivery {
    return new WebhookDelivery({
      id: input.id,
      workspaceId: input.event.workspaceId,
      endpointId: input.endpointId,
      eventId: input.event.id,
      eventType: input.event.type,
      eventOccurredAt: input.event.occurredAt,
      booking: input.event.booking ? { ...input.event.booking } : null,
      body: webhookBody(input.event),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: input.now,
      lastAttemptAt: null,
      lastResponseStatus: null,
      lastError: null,
      attemptLog: [],
      createdAt: input.now,
    });
  }

  static fromSnapshot(snapshot: WebhookDeliverySnapshot): WebhookDelivery {
    return new WebhookDelivery({
      ...snapshot,
      booking: snapshot.booking ? { ...snapshot.booking } : null,
      attemptLog: snapshot.attemptLog.map((a) => ({ ...a })),
    });
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get endpointId(): string {
    return this.state.endpointId;
  }
  get eventId(): string {
    return this.state.eventId;
  }
  get eventType(): string {
    return this.state.eventType;
  }
  get body(): string {
    return this.state.body;
  }
  get status(): WebhookDeliveryStatus {
    return this.state.status;
  }
  get attempts(): number {
    return this.state.attempts;
  }

  isDue(now: Date): boolean {
    return (
      this.state.status === 'pending' &&
      this.state.nextAttemptAt !== null &&
      this.state.nextAttemptAt.getTime() <= now.getTime()
    );
  }

  /** Starts an attempt: counted at once, and leased so that no other instance starts it too. */
  startAttempt(now: Date): void {
    this.state.attempts += 1;
    this.state.lastAttemptAt = now;
    this.state.nextAttemptAt = new Date(now.getTime() + ATTEMPT_LEASE_MS);
  }

  /** Records how the attempt started last ended, at `now`. */
  finishAttempt(outcome: AttemptOutcome, now: Date): void {
    const startedAt = this.state.lastAttemptAt ?? now;
    this.state.attemptLog.push({
      number: this.state.attempts,
      startedAt,
      durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
      responseStatus: outcome.status,
      error: outcome.ok ? null : outcome.error.slice(0, MAX_ERROR_LENGTH),
    });
    if (outcome.ok) {
      this.state.status = 'succeeded';
      this.state.nextAttemptAt = null;
      this.state.lastResponseStatus = outcome.status;
      this.state.lastError = null;
      return;
    }
    this.state.lastResponseStatus = outcome.status;
    this.state.lastError = outcome.error.slice(0, MAX_ERROR_LENGTH);
    const next = nextRetryAt(this.state.eventOccurredAt, this.state.attempts, now);
    this.state.status = next ? 'pending' : 'failed';
    this.state.nextAttemptAt = next;
  }

  toSnapshot(): WebhookDeliverySnapshot {
    return { ...this.state, attemptLog: this.state.attemptLog.map((a) => ({ ...a })) };
  }
}
