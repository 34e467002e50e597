// Where members' availability policies are kept: at most one per member, scoped to the workspace.
import type { AvailabilityPolicy } from '@domain/availability/availability-policy.js';

export abstract class AvailabilityPolicyRepository {
  abstract find(workspaceId: string, memberId: string): Promise<AvailabilityPolicy | null>;
  /** The stored policies of those members (members without one are simply absent). */
  abstract findByMembers(workspaceId: string, memberIds: string[]): Promise<AvailabilityPolicy[]>;
  /** Inserts or replaces the member's policy. */
  abstract save(policy: AvailabilityPolicy): Promise<void>;
}
