// Entra ID as kailenty uses it: the member sign-in round trip, admin consent, and proof of a tenant's grant.
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';

export interface SignInStart {
  url: string;
  codeVerifier: string;
  nonce: string;
}

export interface SignedInAccount {
  /** `oid` and `tid` from the ID token. */
  userId: string;
  tenantId: string;
  homeAccountId: string;
  /** `preferred_username`: shown to people, never used to identify. */
  username: string | null;
  name: string | null;
  grantedScopes: string[];
  /** A Graph access token of the new account, to read its mailbox before the connection is recorded. */
  accessToken: string;
}

/** The administrator who signed in after granting admin consent, from the ID token. */
export interface SignedInAdministrator {
  /** `oid` and `tid` from the ID token. */
  userId: string;
  tenantId: string;
  name: string | null;
  username: string | null;
  /**
   * Whether the directory roles the token carries (`wids`) include one that may grant tenant-wide
   * consent; null when the token carries no directory roles (the app registration does not emit them).
   */
  mayGrantTenantWideConsent: boolean | null;
}

/** The administrator's authorization code, with what the sign-in was started with. */
export interface AdministratorSignInCode {
  tenant: string;
  code: string;
  codeVerifier: string;
  nonce: string;
  state: string;
}

/** A refusal or fault from Microsoft during a sign-in or consent flow, read by the adapter into a verdict. */
export class MicrosoftError extends Error {
  constructor(
    message: string,
    readonly verdict: MicrosoftFailure,
  ) {
    super(message);
    this.name = 'MicrosoftError';
  }
}

export abstract class IdentityProvider {
  abstract startSignIn(input: { state: string; loginHint: string }): Promise<SignInStart>;
  /** Redeems the code; the account's tokens go to the member's vault entry. */
  abstract completeSignIn(input: {
    workspaceId: string;
    memberId: string;
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
  }): Promise<SignedInAccount>;
  abstract adminConsentUrl(input: { tenant: string; state: string }): string;
  /**
   * After admin consent, the administrator signs in to the app at the tenant's own authority (auth code
   * + PKCE, OpenID scopes only): the answer says who granted the consent. No token is kept.
   */
  abstract startAdministratorSignIn(input: { tenant: string; state: string }): Promise<SignInStart>;
  abstract completeAdministratorSignIn(input: AdministratorSignInCode): Promise<SignedInAdministrator>;
  /** The id of a tenant named by a verified domain (`contoso.com`), as Entra ID's metadata states it. */
  abstract tenantIdOf(tenant: string): Promise<string>;
  /** Proves that the application is consented in the tenant (an app-only token works); returns its scopes. */
  abstract verifyTenantGrant(tenantId: string): Promise<{ scopes: string[] }>;
  /** Deletes the tokens kept for the member (only those of one account when `homeAccountId` is given). */
  abstract forget(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void>;
}
