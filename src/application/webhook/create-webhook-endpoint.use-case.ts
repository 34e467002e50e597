// Registers a webhook endpoint with a fresh signing secret, which the caller sees this once.
import {
  MAX_WEBHOOK_ENDPOINTS_PER_WORKSPACE,
  WebhookEndpoint,
  type WebhookTargetPolicy,
} from '@domain/webhook/webhook-endpoint.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export class CreateWebhookEndpoint {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly policy: WebhookTargetPolicy,
  ) {}

  async execute(input: { workspaceId: string; url: string; events: string[] }): Promise<WebhookEndpoint> {
    const endpoint = WebhookEndpoint.register({
      ...input,
      id: this.ids.next(),
      secret: WEBHOOK_SECRET_PREFIX + this.secrets.randomToken(32),
      now: this.clock.now(),
      policy: this.policy,
    });
    await this.endpoints.add(endpoint, MAX_WEBHOOK_ENDPOINTS_PER_WORKSPACE);
    return endpoint;
  }
}
