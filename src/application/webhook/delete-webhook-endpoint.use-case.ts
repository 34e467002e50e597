// Deletes a webhook endpoint: nothing more is sent to it, and its delivery log goes with it.
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export class DeleteWebhookEndpoint {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: { workspaceId: string; endpointId: string; by: Initiator }): Promise<void> {
    await this.uow.transactional(async () => {
      if (!(await this.endpoints.delete(input.workspaceId, input.endpointId))) {
        throw DomainError.notFound('Webhook endpoint');
      }
      await this.audit.record(input.workspaceId, {
        type: 'webhook_endpoint.deleted',
        objectId: input.endpointId,
        details: {},
        by: input.by,
        occurredAt: this.clock.now(),
      });
    });
  }
}
