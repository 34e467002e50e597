// The member access read model over the in-memory fakes: what the database statement joins, gathered through
// their ports, once per member within a unit of work as the database's.
import { MemberAccessReadModel, type MemberAccess } from '@application/ports/member-access.read-model.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { UnitMemo } from '../system/unit-memo.js';

export class InMemoryMemberAccessReadModel extends MemberAccessReadModel {
  private readonly unit = new UnitMemo<MemberAccess | null>();

  constructor(
    private readonly connections: MicrosoftConnectionRepository,
    private readonly consents: TenantConsentRepository,
  ) {
    super();
  }

  forMember(workspaceId: string, memberId: string): Promise<MemberAccess | null> {
    return this.unit.read(`${workspaceId}\u0000${memberId}`, () => this.read(workspaceId, memberId));
  }

  oncePerUnit<T>(work: () => Promise<T>): Promise<T> {
    return this.unit.run(work);
  }

  readAgain(workspaceId: string, memberId: string): void {
    this.unit.forget(`${workspaceId}\u0000${memberId}`);
  }

  private async read(workspaceId: string, memberId: string): Promise<MemberAccess | null> {
    const connection = await this.connections.findByMember(workspaceId, memberId);
    if (!connection) return null;
    return { connection, consent: await this.consents.find(workspaceId) };
  }
}
