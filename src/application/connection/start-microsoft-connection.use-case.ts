// A member starts connecting Microsoft 365: kailenty keeps the OAuth state (PKCE verifier, nonce, return
// URL) server-side and hands back the Entra ID authorize URL for the member's browser.
import { AuthorizationState } from '@domain/connection/authorization-state.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { Clock } from '../ports/clock.js';
import { Secrets } from '../ports/secrets.js';
import { IdentityProvider, MicrosoftError } from '../ports/identity-provider.js';
import { MemberRepository } from '../ports/member.repository.js';
import { AuthorizationStateRepository } from '../ports/authorization-state.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export class StartMicrosoftConnection {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly members: MemberRepository,
    private readonly states: AuthorizationStateRepository,
    private readonly identity: IdentityProvider,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    workspaceId: string;
    memberId: string;
    returnUrl?: string;
  }): Promise<{ authorizeUrl: string; expiresAt: Date }> {
    const member = await this.members.findById(input.workspaceId, input.memberId);
    if (!member) throw DomainError.notFound('Member');
    const workspace = await this.workspaces.findById(input.workspaceId);
    if (!workspace) throw DomainError.notFound('Workspace');
    const returnUrl = workspace.resolveReturnUrl(input.returnUrl);
    member.assertActive();
    return this.begin(input.workspaceId, member.id, member.email, returnUrl);
  }

  /** Also used by the reconnect link, which has already checked the member and the return URL. */
  async begin(workspaceId: string, memberId: string, loginHint: string, returnUrl: string | null) {
    const id = this.secrets.randomToken();
    const start = await this.identity.startSignIn({ state: id, loginHint }).catch((error: unknown) => {
      // Starting a sign-in needs only Entra's metadata: any failure there means it cannot be reached now.
      if (error instanceof MicrosoftError) {
        throw new DomainError(
          'MICROSOFT_UNAVAILABLE',
          `Microsoft Entra ID cannot be reached: ${error.message}`,
        );
      }
      throw error;
    });
    const state = AuthorizationState.issue({
      id,
      purpose: 'member_connection',
      workspaceId,
      memberId,
      returnUrl,
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
      now: this.clock.now(),
    });
    await this.states.add(state);
    return { authorizeUrl: start.url, expiresAt: state.expiresAt };
  }
}
