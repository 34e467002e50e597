// An operator revokes an API key; requests with it are refused from then on.
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { ApiKeyRepository } from '../ports/api-key.repository.js';

export class RevokeApiKey {
  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: { workspaceId: string; keyId: string; by: Initiator }): Promise<void> {
    const key = await this.apiKeys.findById(input.workspaceId, input.keyId);
    if (!key) throw DomainError.notFound('API key');
    // Revoking a revoked key changes nothing, so there is nothing to record.
    if (!key.isActive) return;
    const now = this.clock.now();
    key.revoke(now);
    await this.uow.transactional(async () => {
      await this.apiKeys.save(key);
      await this.audit.record(input.workspaceId, {
        type: 'api_key.revoked',
        objectId: key.id,
        details: {},
        by: input.by,
        occurredAt: now,
      });
    });
  }
}
