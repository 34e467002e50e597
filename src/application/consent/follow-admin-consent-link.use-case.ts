// Follows the 7-day admin consent link from the tenant status: creates the state now and goes on to Microsoft.
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { ConsentLinks } from '../ports/consent-links.js';
import { StartAdminConsent } from './start-admin-consent.use-case.js';

/** Follows the 7-day link from the tenant status: creates the state now and goes on to Microsoft. */
export class FollowAdminConsentLink {
  constructor(
    private readonly links: ConsentLinks,
    private readonly start: StartAdminConsent,
    private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<{ redirectUrl: string }> {
    const link = this.links.open(token, this.clock.now());
    if (!link || link.kind !== 'admin_consent') {
      throw new DomainError('INVALID_STATE', 'This admin consent link is not valid or has expired.');
    }
    return {
      redirectUrl: await this.start.begin(link.workspaceId, link.tenant ?? 'organizations', link.returnUrl),
    };
  }
}
