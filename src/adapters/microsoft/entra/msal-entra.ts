// Entra ID through @azure/msal-node: the member sign-in (auth code + PKCE, nonce), admin consent URLs,
// proof of a tenant grant (client credentials), and silent token refresh from the encrypted vault.
// A ConfidentialClientApplication is made per operation with the member's cache (MSAL's own pattern for
// partitioned caches); authority metadata is fetched once per authority, so no per-call discovery.
// A member's access token is also kept in process until MSAL itself would renew it (see AccessTokenMemo).
import {
  ConfidentialClientApplication,
  CryptoProvider,
  LogLevel,
  type ICachePlugin,
  type INetworkModule,
  type TokenCacheContext,
} from '@azure/msal-node';
import { GRAPH_SCOPES } from '@domain/consent/permissions.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  IdentityProvider,
  MicrosoftError,
  type SignedInAccount,
  type AdministratorSignInCode,
  type SignedInAdministrator,
  type SignInStart,
} from '@application/ports/identity-provider.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { MemberAccessReadModel } from '@application/ports/member-access.read-model.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { withdrawsAccess } from '@domain/consent/microsoft-failure.js';
import { MsalNetworkClient } from '../http/msal-network-client.js';
import { createTrustedFetch, type TrustedFetch } from '../http/trusted-fetch.js';
import { adminConsentRedirectUri, memberRedirectUri, type MicrosoftSettings } from '../microsoft-settings.js';
import { TokenVault, type VaultKey } from './token-vault.js';
import { EncryptionKeyMissing, SealedValueCorrupt } from '../../crypto/sealed-box.js';
import { toMicrosoftError } from './msal-errors.js';
import { classifyMicrosoftFailure, microsoftError } from '../microsoft-failure-classifier.js';
import { entraOperation, MicrosoftTelemetry } from '../microsoft-telemetry.js';

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com']);

/** The administrator's sign-in after admin consent asks for nothing but who they are. */
const ADMIN_SIGN_IN_SCOPES = ['openid', 'profile'];

/**
 * Directory role templates (`wids`) that may grant tenant-wide consent to an application: Global
 * Administrator, Privileged Role Administrator, Cloud Application Administrator, Application Administrator.
 */
const CONSENT_GRANTING_ROLES = new Set([
  '62e90394-69f5-4237-9190-012177145e10',
  'e8611ab8-c189-46e8-94e1-60213ab1f814',
  '158c047a-c907-4556-b7ef-446551a6b5f7',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
]);

const NO_DETAILS = {
  error: null,
  suberror: null,
  aadsts: [],
  retryAfter: null,
  traceId: null,
  correlationId: null,
};

/** MSAL renews an access token this long before it expires (msal-common `tokenRenewalOffsetSeconds`). */
const TOKEN_RENEWAL_OFFSET_MS = 5 * 60_000;

/** More members than this in one process: the oldest token is dropped, MSAL's vault still has it. */
const MEMO_LIMIT = 10_000;

interface MemoEntry {
  /** The connection's account and last sign-in: a re-authorization in any instance changes it. */
  grant: string;
  accessToken: string;
  renewAt: number;
}

/**
 * Access tokens kept in process per member, so a Graph call does not build an MSAL client and read the
 * sealed cache twice. An entry is only ever used after the caller has read the connection (and consent)
 * from the database (once per unit of work: MemberAccessReadModel) and found it usable, and only for the
 * same grant (account + last sign-in), so a revocation, disconnection or re-authorization recorded by any
 * instance is seen as promptly as the connection read sees it.
 * It holds a token no longer than MSAL's own cache would return it without a refresh.
 */
export class AccessTokenMemo {
  private readonly entries = new Map<string, MemoEntry>();
  /** Counts forgets: a token asked for before one (e.g. a 401's forced refresh) is not kept after it. */
  private forgets = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(workspaceId: string, memberId: string, grant: string): string | null {
    const key = memoKey(workspaceId, memberId);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.grant !== grant || entry.renewAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.accessToken;
  }

  /** To pass to `set`: a token acquired across a `forget` of any member is returned but not kept. */
  mark(): number {
    return this.forgets;
  }

  set(
    workspaceId: string,
    memberId: string,
    grant: string,
    accessToken: string,
    expiresOn: Date | null,
    mark = this.forgets,
  ): void {
    const key = memoKey(workspaceId, memberId);
    this.entries.delete(key);
    if (!expiresOn || mark !== this.forgets) return;
    const renewAt = expiresOn.getTime() - TOKEN_RENEWAL_OFFSET_MS;
    if (renewAt <= this.now()) return;
    if (this.entries.size >= MEMO_LIMIT) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { grant, accessToken, renewAt });
  }

  forget(workspaceId: string, memberId: string): void {
    this.forgets += 1;
    this.entries.delete(memoKey(workspaceId, memberId));
  }
}

const memoKey = (workspaceId: string, memberId: string) => `${workspaceId}\u0000${memberId}`;

/** Shared by the identity provider and the token provider: CCAs, metadata and the network client. */
export class MsalClients {
  readonly fetch: TrustedFetch;
  readonly tokens = new AccessTokenMemo();
  private readonly network: INetworkModule;
  private readonly metadata = new Map<string, Promise<string>>();
  private readonly host: URL;

  constructor(
    readonly settings: MicrosoftSettings,
    readonly telemetry: MicrosoftTelemetry = MicrosoftTelemetry.none,
  ) {
    this.fetch = createTrustedFetch({ extraCaPem: settings.extraCaPem });
    this.network = new MsalNetworkClient(this.fetch, (call) => telemetry.entraCall(call));
    this.host = new URL(settings.authorityHost);
  }

  authority(tenant: string): string {
    return `${this.settings.authorityHost}/${tenant}`;
  }

  async create(tenant: string, cachePlugin?: ICachePlugin): Promise<ConfidentialClientApplication> {
    const authority = this.authority(tenant);
    const custom = !MICROSOFT_HOSTS.has(this.host.hostname);
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.settings.clientId,
        clientSecret: this.settings.clientSecret,
        authority,
        knownAuthorities: custom ? [this.host.host] : [],
        authorityMetadata: await this.authorityMetadata(authority),
      },
      cache: cachePlugin ? { cachePlugin } : undefined,
      system: {
        networkClient: this.network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Error,
          loggerCallback: () => undefined,
        },
      },
    });
  }

  /** The tenant id in the authority's issuer (`https://login…/{tid}/v2.0`): resolves a verified domain. */
  async tenantIdOf(tenant: string): Promise<string> {
    const metadata = JSON.parse(await this.authorityMetadata(this.authority(tenant))) as { issuer?: string };
    const tenantId = /\/([0-9a-f-]{36})\/v2\.0\/?$/i.exec(metadata.issuer ?? '')?.[1];
    if (!tenantId)
      throw microsoftError(`no tenant id in the metadata of ${tenant}`, { error: 'invalid_request' });
    return tenantId;
  }

  private authorityMetadata(authority: string): Promise<string> {
    let pending = this.metadata.get(authority);
    if (!pending) {
      pending = (async () => {
        const url = `${authority}/v2.0/.well-known/openid-configuration`;
        const started = performance.now();
        const response = await this.fetch(url).catch((error: unknown) => {
          this.telemetry.entraCall({
            ...NO_DETAILS,
            operation: entraOperation('GET', url),
            status: null,
            error: (error as { cause?: { code?: string } }).cause?.code ?? String(error),
            durationMs: performance.now() - started,
          });
          throw error;
        });
        if (!response.ok)
          this.telemetry.entraCall({
            ...NO_DETAILS,
            operation: entraOperation('GET', url),
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            durationMs: performance.now() - started,
          });
        if (response.status >= 500 || response.status === 429)
          throw new Error(`openid-configuration answered ${response.status}`);
        if (!response.ok) {
          // An unknown tenant or domain (AADSTS90002): a refusal, not an outage.
          const body = (await response.json().catch(() => ({}))) as {
            error?: string;
            error_codes?: number[];
          };
          throw microsoftError(`openid-configuration answered ${response.status}`, {
            error: body.error ?? 'invalid_request',
            aadsts: body.error_codes ?? [],
          });
        }
        return JSON.stringify(await response.json());
      })();
      pending.catch(() => this.metadata.delete(authority));
      this.metadata.set(authority, pending);
    }
    return pending.catch((error: unknown) => {
      throw toMicrosoftError(error);
    });
  }
}

/** An MSAL cache plugin bound to one vault entry. */
class VaultCachePlugin implements ICachePlugin {
  constructor(
    private readonly vault: TokenVault,
    private readonly key: VaultKey,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const blob = await this.vault.load(this.key);
    if (blob) context.tokenCache.deserialize(blob);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (context.cacheHasChanged) await this.vault.save(this.key, context.tokenCache.serialize());
  }
}

export class MsalIdentityProvider extends IdentityProvider {
  private readonly crypto = new CryptoProvider();

  constructor(
    private readonly clients: MsalClients,
    private readonly vault: TokenVault,
  ) {
    super();
  }

  async startSignIn(input: { state: string; loginHint: string }): Promise<SignInStart> {
    try {
      const pkce = await this.crypto.generatePkceCodes();
      const nonce = this.crypto.createNewGuid();
      const cca = await this.clients.create('organizations');
      const url = await cca.getAuthCodeUrl({
        scopes: GRAPH_SCOPES,
        redirectUri: memberRedirectUri(this.clients.settings),
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        state: input.state,
        nonce,
        loginHint: input.loginHint,
      });
      return { url, codeVerifier: pkce.verifier, nonce };
    } catch (error) {
      throw toMicrosoftError(error);
    }
  }

  async completeSignIn(input: {
    workspaceId: string;
    memberId: string;
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
  }): Promise<SignedInAccount> {
    return this.clients.telemetry.forMember(input.workspaceId, input.memberId, () => this.redeem(input));
  }

  private async redeem(input: {
    workspaceId: string;
    memberId: string;
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
  }): Promise<SignedInAccount> {
    try {
      const cca = await this.clients.create('organizations');
      const result = await cca.acquireTokenByCode(
        {
          code: input.code,
          scopes: GRAPH_SCOPES,
          redirectUri: memberRedirectUri(this.clients.settings),
          codeVerifier: input.codeVerifier,
          nonce: input.nonce,
          state: input.state,
        },
        { code: input.code, state: input.state },
      );
      const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
      const userId = String(claims.oid ?? result.account?.localAccountId ?? '');
      const tenantId = String(claims.tid ?? result.account?.tenantId ?? '');
      const homeAccountId = result.account?.homeAccountId ?? `${userId}.${tenantId}`;
      if (!userId || !tenantId)
        throw microsoftError('the ID token has no oid or tid', { error: 'invalid_request' });
      await this.vault.save(
        { workspaceId: input.workspaceId, memberId: input.memberId, homeAccountId },
        cca.getTokenCache().serialize(),
      );
      this.clients.tokens.forget(input.workspaceId, input.memberId);
      return {
        userId,
        tenantId,
        homeAccountId,
        username: (claims.preferred_username as string | undefined) ?? result.account?.username ?? null,
        name: (claims.name as string | undefined) ?? result.account?.name ?? null,
        grantedScopes: result.scopes.filter(
          (s) => !['openid', 'profile', 'offline_access', 'email'].includes(s),
        ),
        accessToken: result.accessToken,
      };
    } catch (error) {
      throw toMicrosoftError(error);
    }
  }

  async startAdministratorSignIn(input: { tenant: string; state: string }): Promise<SignInStart> {
    try {
      const pkce = await this.crypto.generatePkceCodes();
      const nonce = this.crypto.createNewGuid();
      const cca = await this.clients.create(input.tenant);
      const url = await cca.getAuthCodeUrl({
        scopes: ADMIN_SIGN_IN_SCOPES,
        redirectUri: adminConsentRedirectUri(this.clients.settings),
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        state: input.state,
        nonce,
      });
      return { url, codeVerifier: pkce.verifier, nonce };
    } catch (error) {
      throw toMicrosoftError(error);
    }
  }

  async completeAdministratorSignIn(input: AdministratorSignInCode): Promise<SignedInAdministrator> {
    try {
      // No cache plugin: the administrator's tokens are not kept, only who they are.
      const cca = await this.clients.create(input.tenant);
      const result = await cca.acquireTokenByCode(
        {
          code: input.code,
          scopes: ADMIN_SIGN_IN_SCOPES,
          redirectUri: adminConsentRedirectUri(this.clients.settings),
          codeVerifier: input.codeVerifier,
          nonce: input.nonce,
          state: input.state,
        },
        { code: input.code, state: input.state },
      );
      const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
      const userId = typeof claims.oid === 'string' ? claims.oid : '';
      const tenantId = typeof claims.tid === 'string' ? claims.tid : '';
      if (!userId || !tenantId)
        throw microsoftError('the ID token has no oid or tid', { error: 'invalid_request' });
      const wids = Array.isArray(claims.wids) ? (claims.wids as unknown[]).map(String) : null;
      return {
        userId,
        tenantId,
        name: typeof claims.name === 'string' ? claims.name : null,
        username: typeof claims.preferred_username === 'string' ? claims.preferred_username : null,
        mayGrantTenantWideConsent: wids
          ? wids.some((role) => CONSENT_GRANTING_ROLES.has(role.toLowerCase()))
          : null,
      };
    } catch (error) {
      throw toMicrosoftError(error);
    }
  }

  async tenantIdOf(tenant: string): Promise<string> {
    try {
      return await this.clients.tenantIdOf(tenant);
    } catch (error) {
      throw toMicrosoftError(error);
    }
  }

  adminConsentUrl(input: { tenant: string; state: string }): string {
    const url = new URL(`${this.clients.authority(input.tenant)}/v2.0/adminconsent`);
    url.searchParams.set('client_id', this.clients.settings.clientId);
    url.searchParams.set('scope', GRAPH_SCOPES.map((s) => `https://graph.microsoft.com/${s}`).join(' '));
    url.searchParams.set('redirect_uri', adminConsentRedirectUri(this.clients.settings));
    url.searchParams.set('state', input.state);
    return url.toString();
  }

  async verifyTenantGrant(tenantId: string): Promise<{ scopes: string[] }> {
    try {
      const cca = await this.clients.create(tenantId);
      const result = await cca.acquireTokenByClientCredential({
        scopes: ['https://graph.microsoft.com/.default'],
        skipCache: true,
      });
      if (!result?.accessToken)
        throw microsoftError('no app-only token', { error: 'unauthorized_client', appOnly: true });
      const claims = decodeJwtPayload(result.accessToken);
      if (claims.tid && claims.tid !== tenantId) {
        throw microsoftError('the token is for another tenant', {
          error: 'invalid_request',
          appOnly: true,
        });
      }
      const roles = Array.isArray(claims.roles) ? (claims.roles as string[]) : [];
      return { scopes: roles.length > 0 ? roles : GRAPH_SCOPES };
    } catch (error) {
      throw toMicrosoftError(error, { appOnly: true });
    }
  }

  async forget(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void> {
    this.clients.tokens.forget(workspaceId, memberId);
    await this.vault.delete(workspaceId, memberId, homeAccountId);
  }
}

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/**
 * Access tokens for connected members. It never calls Microsoft for a connection already known to be
 * revoked (or a tenant whose consent is revoked) when its unit of work started (see MemberAccessReadModel:
 * every call outside a unit reads it); a refusal it meets is thrown as a MicrosoftRefusal, for the use case
 * that asked to record.
 */
export class MsalTokenProvider extends MicrosoftTokenProvider {
  constructor(
    private readonly clients: MsalClients,
    private readonly vault: TokenVault,
    private readonly access: MemberAccessReadModel,
    private readonly telemetry: MicrosoftTelemetry = MicrosoftTelemetry.none,
  ) {
    super();
  }

  async accessToken(
    workspaceId: string,
    memberId: string,
    options: { forceRefresh?: boolean } = {},
  ): Promise<string> {
    // Graph answered 401: what kailenty recorded is read again, even within a unit of work that read it.
    if (options.forceRefresh) this.access.readAgain(workspaceId, memberId);
    const access = await this.access.forMember(workspaceId, memberId);
    if (!access) {
      throw new DomainError('MICROSOFT_NOT_CONNECTED', 'This member has not connected Microsoft 365.');
    }
    const { connection, consent } = access;
    if (!connection.isUsable || consent?.isRevoked) {
      throw new DomainError(
        'CONSENT_REVOKED',
        `Microsoft 365 access for this member was withdrawn (${connection.status}); they must reconnect.`,
      );
    }
    try {
      return await this.telemetry.forMember(workspaceId, memberId, () =>
        this.acquire(workspaceId, memberId, connection, options),
      );
    } catch (error) {
      // A refusal the caller is to record, or a failure: the unit's next call reads what was recorded.
      this.access.readAgain(workspaceId, memberId);
      throw error;
    }
  }

  private async acquire(
    workspaceId: string,
    memberId: string,
    connection: { tenantId: string; homeAccountId: string; lastSignInAt: Date },
    options: { forceRefresh?: boolean },
  ): Promise<string> {
    const key = { workspaceId, memberId, homeAccountId: connection.homeAccountId };
    const grant = `${connection.tenantId} ${connection.homeAccountId} ${connection.lastSignInAt.getTime()}`;
    const tokens = this.clients.tokens;
    if (options.forceRefresh) tokens.forget(workspaceId, memberId);
    else {
      const kept = tokens.get(workspaceId, memberId, grant);
      if (kept) {
        this.telemetry.tokenRefresh('cached');
        return kept;
      }
    }
    const mark = tokens.mark();
    try {
      const cca = await this.clients.create(connection.tenantId, new VaultCachePlugin(this.vault, key));
      const account = await cca.getTokenCache().getAccountByHomeId(connection.homeAccountId);
      if (!account)
        throw new MicrosoftError(
          'no tokens are kept for this account',
          classifyMicrosoftFailure({ error: 'interaction_required' }),
        );
      const result = await cca.acquireTokenSilent({
        account,
        scopes: GRAPH_SCOPES,
        forceRefresh: options.forceRefresh,
      });
      this.telemetry.tokenRefresh(result.fromCache ? 'cached' : 'refreshed');
      tokens.set(workspaceId, memberId, grant, result.accessToken, result.expiresOn, mark);
      return result.accessToken;
    } catch (error) {
      // Our own store could not open the member's tokens: a configuration problem of the service, not
      // Microsoft's verdict on the member. Nothing is recorded, no connection.revoked is sent.
      tokens.forget(workspaceId, memberId);
      if (error instanceof EncryptionKeyMissing || error instanceof SealedValueCorrupt) throw error;
      const failure = toMicrosoftError(error, {}, 'refresh');
      const verdict = failure.verdict;
      this.telemetry.tokenRefresh(verdict.kind);
      if (withdrawsAccess(verdict)) throw new MicrosoftRefusal(verdict, { workspaceId, memberId });
      throw new DomainError(
        'MICROSOFT_UNAVAILABLE',
        `Microsoft Entra ID could not be reached: ${failure.message}`,
      );
    }
  }
}
