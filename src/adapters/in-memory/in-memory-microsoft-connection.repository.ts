// Members' Microsoft connections in memory, for fast tests of use cases.
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';

export class InMemoryMicrosoftConnectionRepository extends MicrosoftConnectionRepository {
  private readonly rows = new Map<string, MicrosoftConnectionSnapshot>();

  async findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null> {
    const row = this.rows.get(memberId);
    return row && row.workspaceId === workspaceId ? MicrosoftConnection.fromSnapshot(row) : null;
  }

  async findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]> {
    return memberIds
      .map((id) => this.rows.get(id))
      .filter((row): row is MicrosoftConnectionSnapshot => row?.workspaceId === workspaceId)
      .map((row) => MicrosoftConnection.fromSnapshot(row));
  }

  async listByWorkspace(workspaceId: string): Promise<MicrosoftConnection[]> {
    return [...this.rows.values()]
      .filter((row) => row.workspaceId === workspaceId)
      .sort((a, b) => a.connectedAt.getTime() - b.connectedAt.getTime())
      .map((row) => MicrosoftConnection.fromSnapshot(row));
  }

  async save(connection: MicrosoftConnection): Promise<void> {
    this.rows.set(connection.memberId, connection.toSnapshot());
  }

  async delete(workspaceId: string, memberId: string): Promise<void> {
    if (this.rows.get(memberId)?.workspaceId === workspaceId) this.rows.delete(memberId);
  }
}
