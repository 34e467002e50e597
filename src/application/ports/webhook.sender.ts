// Sends one signed webhook request and reports how the receiver answered.
import type { AttemptOutcome } from '@domain/webhook/webhook-delivery.js';

export interface WebhookRequest {
  /** For the sender's own log lines: which endpoint a failure is about. */
  endpointId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  /** The exact JSON body to POST and sign. */
  body: string;
  /** The signature's timestamp. */
  signedAt: Date;
}

export abstract class WebhookSender {
  /** `ok` only for a 2xx within the timeout; never throws for a receiver's failure. */
  abstract send(request: WebhookRequest): Promise<AttemptOutcome>;
}
