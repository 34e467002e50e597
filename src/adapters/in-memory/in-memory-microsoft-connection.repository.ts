// In-memory connections, consents, OAuth states and domain events for fast tests of use cases.
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { TenantConsent, type TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';

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

export class InMemoryTenantConsentRepository extends TenantConsentRepository {
  private readonly rows = new Map<string, TenantConsentSnapshot>();

  async find(workspaceId: string): Promise<TenantConsent | null> {
    const row = this.rows.get(workspaceId);
    return row ? TenantConsent.fromSnapshot(row) : null;
  }

  async save(workspaceId: string, consent: TenantConsent): Promise<void> {
    this.rows.set(workspaceId, { ...consent.toSnapshot(), workspaceId });
  }
}

export class InMemoryAuthorizationStateRepository extends AuthorizationStateRepository {
  private readonly rows = new Map<string, AuthorizationStateSnapshot>();

  async add(state: AuthorizationState): Promise<void> {
    if (this.rows.has(state.id)) throw new Error('duplicate state');
    this.rows.set(state.id, state.toSnapshot());
  }

  async consume(id: string, now: Date): Promise<AuthorizationState | null> {
    const row = this.rows.get(id);
    if (!row || row.consumedAt !== null) return null;
    row.consumedAt = now;
    return AuthorizationState.fromSnapshot(row);
  }

  async deleteSpent(now: Date): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.rows) {
      if ((row.consumedAt !== null || row.expiresAt.getTime() <= now.getTime()) && this.rows.delete(id))
        deleted++;
    }
    return deleted;
  }
}

export class InMemoryDomainEventOutbox extends DomainEventOutbox {
  readonly events: DomainEvent[] = [];

  async record(event: DomainEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }
}
