// Issues the tokens Entra ID's v2.0 token endpoint returns: a Graph access token (v1 JWT, as Graph's are),
// an ID token (v2, RS256) with oid/tid/preferred_username/name/nonce, a refresh token and client_info.
import { createHash } from 'node:crypto';
import { GRAPH_RESOURCE, OIDC_SCOPES } from '../context.js';
import { opaque } from '../ids.js';
import { signJwt } from '../jwt.js';
import { DIRECTORY_ROLES, type App, type EmulatorState, type User } from '../state.js';

export interface IssueUserTokensInput {
  app: App;
  user: User;
  /** Scopes asked for, short Graph names plus OIDC ones. */
  requested: string[];
  /** Graph scopes consented for the user: all of them go into the token, as Entra does. */
  graphScopes: string[];
  nonce?: string;
  issuerBase: string;
  clientInfo: boolean;
}

export function clientInfo(user: User): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');
}

export function issueUserTokens(state: EmulatorState, input: IssueUserTokensInput) {
  const { app, user } = input;
  const now = Math.floor(state.now() / 1000);
  const lifetime = state.limits.accessTokenLifetimeSeconds;
  const jti = opaque(16);
  const scp = input.graphScopes.join(' ');
  const accessToken = signJwt(state.signingKey, {
    aud: GRAPH_RESOURCE,
    iss: `https://sts.windows.net/${user.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    acct: 0,
    appid: app.clientId,
    app_displayname: app.displayName,
    appidacr: '1',
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: user.displayName,
    oid: user.id,
    scp,
    sub: createHash('sha256').update(`${user.id}|graph`).digest('base64url').slice(0, 43),
    tid: user.tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    uti: jti,
    ver: '1.0',
    xms_emulator: true,
  });
  state.accessTokens.set(jti, {
    jti,
    clientId: app.clientId,
    userId: user.id,
    tenantId: user.tenantId,
    scopes: input.graphScopes,
    roles: [],
    expiresAt: (now + lifetime) * 1000,
    revoked: false,
  });

  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [
      ...input.graphScopes,
      ...input.requested.filter((s) => OIDC_SCOPES.has(s) && s !== 'offline_access'),
    ]
      .filter((s, i, all) => all.indexOf(s) === i)
      .join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (input.requested.includes('offline_access')) {
    const token = `1.A${opaque(96)}`;
    state.refreshTokens.set(token, {
      token,
      clientId: app.clientId,
      userId: user.id,
      tenantId: user.tenantId,
      scopes: input.graphScopes,
      expiresAt: state.now() + state.limits.refreshTokenLifetimeSeconds * 1000,
    });
    body.refresh_token = token;
  }
  if (input.requested.includes('openid')) {
    body.id_token = signJwt(state.signingKey, {
      aud: app.clientId,
      iss: `${input.issuerBase}/${user.tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      ...(input.requested.includes('email') ? { email: user.mail } : {}),
      name: user.displayName,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      oid: user.id,
      preferred_username: user.userPrincipalName,
      rh: `0.A${opaque(24)}.`,
      // v2 `sub` is pairwise: stable per user and app, different across apps.
      sub: createHash('sha256').update(`${user.id}|${app.clientId}`).digest('base64url').slice(0, 43),
      tid: user.tenantId,
      uti: opaque(16),
      ver: '2.0',
      // With directory roles configured in the app's token configuration, every member carries the
      // "User" role template besides the roles assigned to them.
      ...(app.directoryRolesInTokens && user.kind === 'user'
        ? { wids: [...new Set([...user.directoryRoles, DIRECTORY_ROLES.user])] }
        : {}),
    });
  }
  if (input.clientInfo) body.client_info = clientInfo(user);
  return body;
}

export function issueAppToken(state: EmulatorState, app: App, tenantId: string) {
  const now = Math.floor(state.now() / 1000);
  const lifetime = state.limits.accessTokenLifetimeSeconds;
  const jti = opaque(16);
  const spOid = createHash('sha256').update(`${tenantId}|${app.clientId}`).digest('hex');
  const oid = `${spOid.slice(0, 8)}-${spOid.slice(8, 12)}-${spOid.slice(12, 16)}-${spOid.slice(16, 20)}-${spOid.slice(20, 32)}`;
  const accessToken = signJwt(state.signingKey, {
    aud: GRAPH_RESOURCE,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: '1',
    idtyp: 'app',
    oid,
    sub: oid,
    tid: tenantId,
    uti: jti,
    ver: '1.0',
    xms_emulator: true,
  });
  state.accessTokens.set(jti, {
    jti,
    clientId: app.clientId,
    tenantId,
    scopes: [],
    roles: [],
    expiresAt: (now + lifetime) * 1000,
    revoked: false,
  });
  return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
}
