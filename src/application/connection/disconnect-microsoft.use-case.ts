// A member (or their product) disconnects Microsoft 365: the subscription goes, the tokens are forgotten.
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { IdentityProvider } from '../ports/identity-provider.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { ConnectionListener } from '../ports/connection.listener.js';
import { UnitOfWork } from '../ports/unit-of-work.js';

export class DisconnectMicrosoft {
  constructor(
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly identity: IdentityProvider,
    private readonly listener: ConnectionListener,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  async execute(input: { workspaceId: string; memberId: string; by: Initiator }): Promise<void> {
    if (!(await this.members.findById(input.workspaceId, input.memberId)))
      throw DomainError.notFound('Member');
    const connection = await this.connections.findByMember(input.workspaceId, input.memberId);
    if (connection) {
      // Removing the subscription needs the tokens, so it goes first; a failure there must not keep
      // the member connected against their will.
      await this.listener.disconnected(connection).catch(() => undefined);
      await this.uow.transactional(async () => {
        await this.connections.delete(input.workspaceId, input.memberId);
        await this.audit.record(input.workspaceId, {
          type: 'member.disconnected',
          objectId: input.memberId,
          details: {},
          by: input.by,
          occurredAt: this.clock.now(),
        });
      });
    }
    await this.identity.forget(input.workspaceId, input.memberId);
  }
}
