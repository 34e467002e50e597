// An operator issues another API key for a workspace (several can be active, e.g. during rotation).
import { ApiKey } from '@domain/workspace/api-key.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { IdGenerator } from '../ports/id-generator.js';
import { Secrets } from '../ports/secrets.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { ApiKeyRepository } from '../ports/api-key.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export class IssueApiKey {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly secrets: Secrets,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: { workspaceId: string; by: Initiator }): Promise<{ id: string; apiKey: string }> {
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    const now = this.clock.now();
    const plaintext = this.secrets.newApiKey();
    const key = ApiKey.issue({
      id: this.ids.next(),
      workspaceId: workspace.id,
      plaintext,
      hash: this.secrets.hash(plaintext),
      now,
    });
    await this.uow.transactional(async () => {
      await this.apiKeys.add(key);
      await this.audit.record(workspace.id, {
        type: 'api_key.issued',
        objectId: key.id,
        details: {},
        by: input.by,
        occurredAt: now,
      });
    });
    return { id: key.id, apiKey: plaintext };
  }
}
