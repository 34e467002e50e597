// In-memory availability policies for fast tests of use cases: one per member, scoped to the workspace.
import {
  AvailabilityPolicy,
  type AvailabilityPolicySnapshot,
} from '@domain/availability/availability-policy.js';
import { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';

export class InMemoryAvailabilityPolicyRepository extends AvailabilityPolicyRepository {
  private readonly rows = new Map<string, AvailabilityPolicySnapshot>();

  async find(workspaceId: string, memberId: string): Promise<AvailabilityPolicy | null> {
    const row = this.rows.get(memberId);
    return row && row.workspaceId === workspaceId ? AvailabilityPolicy.fromSnapshot(row) : null;
  }

  async findByMembers(workspaceId: string, memberIds: string[]): Promise<AvailabilityPolicy[]> {
    const found: AvailabilityPolicy[] = [];
    for (const id of new Set(memberIds)) {
      const policy = await this.find(workspaceId, id);
      if (policy) found.push(policy);
    }
    return found;
  }

  async save(policy: AvailabilityPolicy): Promise<void> {
    const existing = this.rows.get(policy.memberId);
    if (existing && existing.workspaceId !== policy.workspaceId) return;
    this.rows.set(policy.memberId, policy.toSnapshot());
  }
}
