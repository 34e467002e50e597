// A member follows the repair link from their status: a fresh sign-in starts, with a new OAuth state.
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { MemberRepository } from '../ports/member.repository.js';
import { StartMicrosoftConnection } from './start-microsoft-connection.use-case.js';

export class FollowReconnectLink {
  constructor(
    private readonly links: ConsentLinks,
    private readonly members: MemberRepository,
    private readonly start: StartMicrosoftConnection,
    private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<{ redirectUrl: string }> {
    const link = this.links.open(token, this.clock.now());
    if (!link || link.kind !== 'reconnect') {
      throw new DomainError('INVALID_STATE', 'This reconnect link is not valid or has expired.');
    }
    const member = await this.members.findById(link.workspaceId, link.memberId);
    if (!member) throw new DomainError('INVALID_STATE', 'This reconnect link is not valid anymore.');
    member.assertActive();
    const { authorizeUrl } = await this.start.begin(
      link.workspaceId,
      member.id,
      member.email,
      link.returnUrl,
    );
    return { redirectUrl: authorizeUrl };
  }
}
