// Reads a member's availability policy; a member who never stored one gets the default policy (their
// Outlook working hours, else Mon–Fri 09:00–17:00, in their mailbox's zone, else UTC), marked as such.
import type { AvailabilityPolicy } from '@domain/availability/availability-policy.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AvailabilityPolicyRepository } from '../ports/availability-policy.repository.js';
import { Clock } from '../ports/clock.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { policyOrDefault } from './host-calendars.js';

export class GetAvailability {
  constructor(
    private readonly members: MemberRepository,
    private readonly policies: AvailabilityPolicyRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { workspaceId: string; memberId: string }): Promise<AvailabilityPolicy> {
    const { workspaceId, memberId } = input;
    if (!(await this.members.findById(workspaceId, memberId))) throw DomainError.notFound('Member');
    const stored = await this.policies.find(workspaceId, memberId);
    if (stored) return stored;
    const connection = await this.connections.findByMember(workspaceId, memberId);
    return policyOrDefault(null, { workspaceId, memberId, connection, now: this.clock.now() });
  }
}
