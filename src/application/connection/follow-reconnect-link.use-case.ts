// A member follows the repair link from their status: a fresh sign-in starts, with a new OAuth state.
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { StartMicrosoftConnection } from './start-microsoft-connection.use-case.js';
import { connectionResultUrl } from './complete-microsoft-connection.use-case.js';

/** Refusals a reconnect link reports to the product's return URL, as the OAuth callback does. */
const REDIRECTED: ReadonlySet<string> = new Set(['ACCOUNT_NOT_ACTIVE', 'MICROSOFT_UNAVAILABLE']);

export class FollowReconnectLink {
  constructor(
    private readonly links: ConsentLinks,
    private readonly members: MemberRepository,
    private readonly connections: MicrosoftConnectionRepository,
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
    // A link repairs one broken connection: once the member has signed in again it has done its job
    // (and a later failure hands out a new link).
    const connection = await this.connections.findByMember(link.workspaceId, member.id);
    if (!connection || connection.isUsable || connection.lastSignInAt.getTime() > link.issuedAt) {
      throw new DomainError(
        'INVALID_STATE',
        'This reconnect link is no longer needed: the Microsoft 365 connection was repaired or removed since it was made.',
      );
    }
    try {
      member.assertActive();
      const { authorizeUrl } = await this.start.begin(
        link.workspaceId,
        member.id,
        member.email,
        link.returnUrl,
      );
      return { redirectUrl: authorizeUrl };
    } catch (error) {
      // A person's browser is on this link: the product's return URL (or kailenty's result page) tells
      // them, with the member's id.
      if (error instanceof DomainError && REDIRECTED.has(error.code)) {
        return {
          redirectUrl: connectionResultUrl(this.links, this.clock.now(), {
            workspaceId: link.workspaceId,
            memberId: member.id,
            returnUrl: link.returnUrl,
            result: error.code,
          }),
        };
      }
      throw error;
    }
  }
}
