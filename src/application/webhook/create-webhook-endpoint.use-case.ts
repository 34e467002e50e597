// Registers a webhook endpoint with a fresh signing secret, which the caller sees this once.
import {
  MAX_WEBHOOK_ENDPOINTS_PER_WORKSPACE,
  WebhookEndpoint,
  type WebhookTargetPolicy,
} from '@domain/webhook/webhook-endpoint.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export class CreateWebhookEndpoint {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly policy: WebhookTargetPolicy,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: {
    workspaceId: string;
    url: string;
    events: string[];
    by: Initiator;
  }): Promise<WebhookEndpoint> {
    const now = this.clock.now();
    const endpoint = WebhookEndpoint.register({
      workspaceId: input.workspaceId,
      url: input.url,
      events: input.events,
      id: this.ids.next(),
      secret: WEBHOOK_SECRET_PREFIX + this.secrets.randomToken(32),
      now,
      policy: this.policy,
    });
    const s = endpoint.toSnapshot();
    await this.uow.transactional(async () => {
      await this.endpoints.add(endpoint, MAX_WEBHOOK_ENDPOINTS_PER_WORKSPACE);
      await this.audit.record(input.workspaceId, {
        type: 'webhook_endpoint.created',
        objectId: endpoint.id,
        // The host only: a URL's path or query may carry the receiver's own credential.
        details: { host: new URL(s.url).host, events: s.events },
        by: input.by,
        occurredAt: now,
      });
    });
    return endpoint;
  }
}
