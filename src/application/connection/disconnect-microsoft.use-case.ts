// A member (or their product) disconnects Microsoft 365: the subscription goes, the tokens are forgotten.
import { DomainError } from '@domain/shared/domain-error.js';
import { IdentityProvider } from '../ports/identity-provider.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { ConnectionListener } from '../ports/connection.listener.js';

export class DisconnectMicrosoft {
  constructor(
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
    private readonly identity: IdentityProvider,
    private readonly listener: ConnectionListener,
  ) {}

  async execute(input: { workspaceId: string; memberId: string }): Promise<void> {
    if (!(await this.members.findById(input.workspaceId, input.memberId)))
      throw DomainError.notFound('Member');
    const connection = await this.connections.findByMember(input.workspaceId, input.memberId);
    if (connection) {
      // Removing the subscription needs the tokens, so it goes first; a failure there must not keep
      // the member connected against their will.
      await this.listener.disconnected(connection).catch(() => undefined);
      await this.connections.delete(input.workspaceId, input.memberId);
    }
    await this.identity.forget(input.workspaceId, input.memberId);
  }
}
