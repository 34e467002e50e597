// The member access read model over the in-memory fakes: what the database statement joins, gathered through
// their ports.
import { MemberAccessReadModel, type MemberAccess } from '@application/ports/member-access.read-model.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';

export class InMemoryMemberAccessReadModel extends MemberAccessReadModel {
  constructor(
    private readonly connections: MicrosoftConnectionRepository,
    private readonly consents: TenantConsentRepository,
  ) {
    super();
  }

  async forMember(workspaceId: string, memberId: string): Promise<MemberAccess | null> {
    const connection = await this.connections.findByMember(workspaceId, memberId);
    if (!connection) return null;
    return { connection, consent: await this.consents.find(workspaceId) };
  }
}
