// Entra ID for fast tests of the sign-in use cases: a test says who signs in next (or which refusal
// Microsoft answers), which tenants granted admin consent, and reads which tokens are kept.
import {
  IdentityProvider,
  MicrosoftError,
  type SignedInAccount,
  type AdministratorSignInCode,
  type SignedInAdministrator,
  type SignInStart,
} from '@application/ports/identity-provider.js';
import { microsoftError } from '../microsoft/microsoft-failure-classifier.js';

export class FakeIdentityProvider extends IdentityProvider {
  /** What redeeming the next code gives: an account, or Microsoft's refusal. */
  nextSignIn: SignedInAccount | MicrosoftError | null = null;
  /** Set to make starting a sign-in fail (Entra unreachable). */
  startFailure: MicrosoftError | null = null;
  /** Tenants where an app-only token works, with its scopes, or the refusal a token request meets. */
  readonly tenantGrants = new Map<string, string[] | MicrosoftError>();
  readonly started: { state: string; loginHint: string }[] = [];
  /** Who signs in next after an admin consent, or Microsoft's refusal. */
  nextAdministrator: SignedInAdministrator | MicrosoftError | null = null;
  /** Administrator sign-ins started, with the tenant (authority) each was sent to. */
  readonly administratorSignIns: { tenant: string; state: string }[] = [];
  /** Verified domains and the tenant ids they stand for. */
  readonly domains = new Map<string, string>();
  /** Token caches kept, as `workspaceId/memberId/homeAccountId`. */
  readonly kept = new Set<string>();

  async startSignIn(input: { state: string; loginHint: string }): Promise<SignInStart> {
    if (this.startFailure) throw this.startFailure;
    this.started.push(input);
    const url = `https://login.test/organizations/oauth2/v2.0/authorize?state=${input.state}`;
    return { url, codeVerifier: `verifier-${input.state}`, nonce: `nonce-${input.state}` };
  }

  async completeSignIn(input: {
    workspaceId: string;
    memberId: string;
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
  }): Promise<SignedInAccount> {
    const next = this.nextSignIn;
    this.nextSignIn = null;
    if (!next) throw microsoftError('no sign-in was arranged', { error: 'invalid_grant' });
    if (next instanceof MicrosoftError) throw next;
    if (input.codeVerifier !== `verifier-${input.state}` || input.nonce !== `nonce-${input.state}`) {
      throw microsoftError('PKCE or nonce mismatch', { error: 'invalid_grant' });
    }
    this.kept.add(`${input.workspaceId}/${input.memberId}/${next.homeAccountId}`);
    return { ...next };
  }

  async startAdministratorSignIn(input: { tenant: string; state: string }): Promise<SignInStart> {
    if (this.startFailure) throw this.startFailure;
    this.administratorSignIns.push(input);
    const url = `https://login.test/${input.tenant}/oauth2/v2.0/authorize?state=${input.state}`;
    return { url, codeVerifier: `verifier-${input.state}`, nonce: `nonce-${input.state}` };
  }

  async completeAdministratorSignIn(input: AdministratorSignInCode): Promise<SignedInAdministrator> {
    const next = this.nextAdministrator;
    this.nextAdministrator = null;
    if (!next) throw microsoftError('no sign-in was arranged', { error: 'invalid_grant' });
    if (next instanceof MicrosoftError) throw next;
    if (input.codeVerifier !== `verifier-${input.state}` || input.nonce !== `nonce-${input.state}`) {
      throw microsoftError('PKCE or nonce mismatch', { error: 'invalid_grant' });
    }
    return { ...next };
  }

  async tenantIdOf(tenant: string): Promise<string> {
    const id = this.domains.get(tenant.toLowerCase());
    if (!id)
      throw microsoftError('AADSTS90002: tenant not found', {
        error: 'invalid_request',
        aadsts: [90002],
      });
    return id;
  }

  adminConsentUrl(input: { tenant: string; state: string }): string {
    return `https://login.test/${input.tenant}/v2.0/adminconsent?state=${input.state}`;
  }

  async verifyTenantGrant(tenantId: string): Promise<{ scopes: string[] }> {
    const grant = this.tenantGrants.get(tenantId);
    if (grant instanceof MicrosoftError) throw grant;
    if (!grant) throw microsoftError('AADSTS700016', { aadsts: [700016], appOnly: true });
    return { scopes: [...grant] };
  }

  async forget(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void> {
    for (const key of [...this.kept]) {
      const [ws, member, home] = key.split('/');
      if (ws === workspaceId && member === memberId && (!homeAccountId || home === homeAccountId))
        this.kept.delete(key);
    }
  }
}
