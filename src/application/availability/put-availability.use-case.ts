// Replaces a member's availability policy (PUT): validated as a whole, stored, and returned as stored.
import { AvailabilityPolicy, type AvailabilitySettings } from '@domain/availability/availability-policy.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AvailabilityPolicyRepository } from '../ports/availability-policy.repository.js';
import { Clock } from '../ports/clock.js';
import { MemberRepository } from '../ports/member.repository.js';

export class PutAvailability {
  constructor(
    private readonly members: MemberRepository,
    private readonly policies: AvailabilityPolicyRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    memberId: string;
    settings: AvailabilitySettings;
  }): Promise<AvailabilityPolicy> {
    if (!(await this.members.findById(input.workspaceId, input.memberId)))
      throw DomainError.notFound('Member');
    const policy = AvailabilityPolicy.define({ ...input, now: this.clock.now() });
    await this.policies.save(policy);
    return policy;
  }
}
