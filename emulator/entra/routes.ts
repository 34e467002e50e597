// Entra ID v2.0 endpoints: discovery, JWKS, authorize (auth code + PKCE), adminconsent and token
// (authorization_code, refresh_token, client_credentials), with Entra's error shapes and AADSTS codes.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OIDC_SCOPES, splitScopes, type EmulatorContext } from '../context.js';
import { opaque } from '../ids.js';
import { jwks } from '../jwt.js';
import { mayGrantTenantWideConsent, type App, type Tenant, type User } from '../state.js';
import { aadsts, redirectErrorParams, tokenErrorBody, type AadstsError } from './aadsts.js';
import { issueAppToken, issueUserTokens } from './tokens.js';

const MULTI_TENANT = new Set(['common', 'organizations']);
const SESSION_COOKIE = 'ESTSAUTH';

type Query = Record<string, string | undefined>;

export function registerEntra(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;

  /** Resolves the {tenant} path segment: common/organizations, a tenant id or a verified domain. */
  function resolveTenant(segment: string): { multi: boolean; tenant?: Tenant } | undefined {
    if (MULTI_TENANT.has(segment.toLowerCase())) return { multi: true };
    const tenant = state.findTenant(segment);
    return tenant ? { multi: false, tenant } : undefined;
  }

  function errorPage(reply: FastifyReply, err: AadstsError) {
    // Entra shows an error page (no redirect) when it cannot trust the redirect URI or the app.
    return reply
      .status(err.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        ...tokenErrorBody(err, new Date(state.now())),
        emulator_page: 'sign-in error page (no redirect)',
      });
  }

  function redirectTo(reply: FastifyReply, redirectUri: string, params: URLSearchParams, mode = 'query') {
    if (mode === 'form_post') {
      const inputs = [...params]
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}"/>`)
        .join('');
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}</form></body></html>`,
        );
    }
    const url = new URL(redirectUri);
    if (mode === 'fragment') url.hash = params.toString();
    else params.forEach((v, k) => url.searchParams.set(k, v));
    return reply.redirect(url.toString(), 302);
  }

  /**
   * The user of the "browser session": the one the test queued, else the login_hint, else the account
   * already signed in in this browser (the session cookie an earlier authorize or adminconsent set, as
   * Entra's single sign-on does: the administrator who just consented is signed in to the app at once).
   */
  function chooseUser(req: FastifyRequest, loginHint: string | undefined) {
    const next = state.nextSignIns.shift();
    const sessionUser = state.sessions.get(cookie(req, SESSION_COOKIE) ?? '');
    const user = next?.userId
      ? state.findUser(next.userId)
      : loginHint
        ? state.findUser(loginHint)
        : sessionUser
          ? state.findUser(sessionUser)
          : undefined;
    return { user, next };
  }

  /** Remembers who signed in in this browser (a session cookie on the emulator's host). */
  function startSession(reply: FastifyReply, user: User) {
    const id = opaque(32);
    state.sessions.set(id, user.id);
    void reply.header('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=None`);
  }

  // Discovery ------------------------------------------------------------------------------------

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (req, reply) => {
    const { tenant: segment } = req.params as { tenant: string };
    const resolved = resolveTenant(segment);
    if (!resolved) return reply.status(400).send(tokenErrorBody(aadsts(90002, { tenant: segment })));
    const base = ctx.baseUrl();
    const pathTenant = resolved.multi ? segment.toLowerCase() : resolved.tenant!.id;
    const issuerTenant = resolved.multi ? '{tenantid}' : resolved.tenant!.id;
    return {
      token_endpoint: `${base}/${pathTenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/${pathTenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${pathTenant}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/${pathTenant}/kerberos`,
      tenant_region_scope: resolved.multi ? null : 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: ctx.hostAndPort(),
      rbac_url: 'https://pas.windows.net',
    };
  });

  app.get('/:tenant/discovery/v2.0/keys', async () => jwks(state.signingKey));
  app.get('/common/discovery/keys', async () => jwks(state.signingKey));

  // Instance discovery: MSAL never calls it when the host is in knownAuthorities, but answer it anyway.
  app.get('/common/discovery/instance', async (req) => {
    const host = ctx.hostAndPort();
    const q = req.query as Query;
    return {
      tenant_discovery_endpoint: `${ctx.baseUrl()}/${tenantOf(q.authorization_endpoint)}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  });

  // Authorize ------------------------------------------------------------------------------------

  app.get('/:tenant/oauth2/v2.0/authorize', async (req, reply) => {
    const { tenant: segment } = req.params as { tenant: string };
    const q = req.query as Query;
    const client = q.client_id ? state.apps.get(q.client_id) : undefined;
    if (!client) return errorPage(reply, aadsts(700016, { clientId: q.client_id, tenant: segment }));
    if (!q.redirect_uri) return errorPage(reply, aadsts(900971));
    if (!client.redirectUris.includes(q.redirect_uri))
      return errorPage(reply, aadsts(50011, { clientId: client.clientId }));
    const resolved = resolveTenant(segment);
    if (!resolved) return errorPage(reply, aadsts(90002, { tenant: segment }));

    const mode = q.response_mode ?? 'query';
    const fail = (err: AadstsError, extra: Record<string, string> = {}) =>
      redirectTo(reply, q.redirect_uri!, redirectErrorParams(authorizeError(err), q.state, extra), mode);

    if (q.response_type !== 'code') {
      return redirectTo(
        reply,
        q.redirect_uri,
        new URLSearchParams({
          error: 'unsupported_response_type',
          error_description: "AADSTS700054: response_type 'code' is expected for this emulator.",
          ...(q.state !== undefined ? { state: q.state } : {}),
        }),
        mode,
      );
    }
    if (!q.scope) return fail(aadsts(900144, { scope: 'scope' }));
    // Stricter than Entra on purpose (Entra lets web apps skip PKCE): kailenty must always send S256.
    if (!q.code_challenge || (q.code_challenge_method ?? 'plain') !== 'S256') {
      return fail({
        ...aadsts(9002325),
        description:
          'Proof Key for Code Exchange is required: send code_challenge with code_challenge_method=S256.',
      });
    }

    const { user, next } = chooseUser(req, q.login_hint);
    if (!user) {
      if (q.prompt === 'none') return fail({ ...aadsts(50058), error: 'login_required' });
      if (wantsHtml(req)) return accountPicker(reply, req.url, q.login_hint);
      return errorPage(reply, {
        code: 50034,
        error: 'invalid_request',
        status: 400,
        description: `The user account ${q.login_hint ?? '(none)'} does not exist in the directory. The emulator signs in the user named by login_hint or queued with control.setNextSignIn().`,
      });
    }
    if (next?.aadsts) return fail(aadsts(next.aadsts, ctx0(client, user)));
    if (!resolved.multi && resolved.tenant!.id !== user.tenantId) {
      return fail(aadsts(50020, { ...ctx0(client, user), tenant: resolved.tenant!.id }));
    }
    if (user.disabled || user.kind !== 'user') return fail(aadsts(50057));
    if (next?.decline) return fail(aadsts(65004), { error_subcode: 'cancel' });

    const tenant = state.tenants.get(user.tenantId)!;
    const requested = splitScopes(q.scope);
    const graphRequested = expandDefault(
      client,
      requested.filter((s) => !OIDC_SCOPES.has(s)),
    );
    const consented = state.consentedScopes(tenant.id, client.clientId, user.id);
    const missing = graphRequested.filter((s) => !consented.has(s));
    if (q.prompt === 'admin_consent' && mayGrantTenantWideConsent(user)) {
      grantConsent(tenant.id, client.clientId, 'admin', graphRequested, user);
    } else if (missing.length > 0) {
      // The consent screen: users may consent for themselves only where the tenant allows it; admins always can.
      if (tenant.userConsent === 'allowed' || mayGrantTenantWideConsent(user))
        grantConsent(tenant.id, client.clientId, 'user', missing, user);
      else return fail(aadsts(90094));
    }

    const code = `1.A${opaque(120)}`;
    state.codes.set(code, {
      code,
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      userId: user.id,
      tenantId: tenant.id,
      scopes: requested,
      codeChallenge: q.code_challenge,
      nonce: q.nonce,
      expiresAt: state.now() + state.limits.authCodeLifetimeSeconds * 1000,
      redeemed: false,
    });
    const params = new URLSearchParams({ code });
    if (q.client_info === '1')
      params.set(
        'client_info',
        Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url'),
      );
    if (q.state !== undefined) params.set('state', q.state);
    params.set('session_state', opaque(16));
    startSession(reply, user);
    return redirectTo(reply, q.redirect_uri, params, mode);
  });

  /**
   * A browser without login_hint (someone trying the sandbox) gets a page listing the directory's
   * accounts instead of Microsoft's login form: each link repeats the request with login_hint.
   */
  function accountPicker(reply: FastifyReply, url: string, unknownHint?: string) {
    const target = new URL(url, 'https://emulator.invalid');
    const rows = [...state.users.values()]
      .filter((u) => u.kind === 'user')
      .map((u) => {
        target.searchParams.set('login_hint', u.userPrincipalName);
        const tenant = state.tenants.get(u.tenantId);
        const notes = [
          tenant?.name,
          mayGrantTenantWideConsent(u) ? 'admin' : '',
          u.disabled ? 'disabled' : '',
          u.teamsLicence ? 'Teams' : 'no Teams',
        ]
          .filter(Boolean)
          .join(', ');
        return `<li><a href="${escapeHtml(target.pathname + target.search)}">${escapeHtml(u.displayName)} &lt;${escapeHtml(u.userPrincipalName)}&gt;</a> <small>${escapeHtml(notes)}</small></li>`;
      })
      .join('');
    const warning = unknownHint
      ? `<p>No account <b>${escapeHtml(unknownHint)}</b> in the emulator's directory.</p>`
      : '';
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html><head><title>Sign in to your account (Microsoft 365 emulator)</title></head><body><h1>Pick an account</h1>${warning}<ul>${rows}</ul><p><small>Microsoft 365 emulator: the account is signed in without a password.</small></p></body></html>`,
      );
  }

  function grantConsent(
    tenantId: string,
    clientId: string,
    kind: 'admin' | 'user',
    scopes: string[],
    by: User,
  ) {
    const existing =
      kind === 'admin' ? state.adminGrant(tenantId, clientId) : state.userGrant(tenantId, clientId, by.id);
    if (existing) {
      existing.scopes = [...new Set([...existing.scopes, ...scopes])];
      return existing;
    }
    const grant = {
      tenantId,
      clientId,
      kind,
      userId: kind === 'user' ? by.id : undefined,
      scopes: [...new Set(scopes)],
      grantedAt: state.nowIso(),
      grantedBy: by.id,
    };
    state.grants.push(grant);
    return grant;
  }

  // Admin consent (v2.0) -------------------------------------------------------------------------

  app.get('/:tenant/v2.0/adminconsent', async (req, reply) => {
    const { tenant: segment } = req.params as { tenant: string };
    const q = req.query as Query;
    const client = q.client_id ? state.apps.get(q.client_id) : undefined;
    if (!client) return errorPage(reply, aadsts(700016, { clientId: q.client_id, tenant: segment }));
    const redirectUri = q.redirect_uri ?? client.redirectUris[0];
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      return errorPage(reply, aadsts(50011, { clientId: client.clientId }));
    }
    const resolved = resolveTenant(segment);
    if (!resolved) return errorPage(reply, aadsts(90002, { tenant: segment }));
    const fail = (err: AadstsError, extra: Record<string, string> = {}) =>
      redirectTo(reply, redirectUri, redirectErrorParams(authorizeError(err), q.state, extra));

    const { user, next } = chooseUser(req, q.login_hint);
    if (!user) {
      if (wantsHtml(req)) return accountPicker(reply, req.url, q.login_hint);
      return errorPage(reply, {
        code: 50034,
        error: 'invalid_request',
        status: 400,
        description: 'No administrator signed in: pass login_hint or queue one with control.setNextSignIn().',
      });
    }
    if (next?.aadsts) return fail(aadsts(next.aadsts, ctx0(client, user)));
    if (!resolved.multi && resolved.tenant!.id !== user.tenantId) {
      return fail(aadsts(50020, { ...ctx0(client, user), tenant: resolved.tenant!.id }));
    }
    if (user.disabled || user.kind !== 'user') return fail(aadsts(50057));
    // Entra can send admin_consent=True along with an error: the parameter alone proves nothing.
    if (next?.decline) return fail(aadsts(65004), { admin_consent: 'True', error_subcode: 'cancel' });
    if (!mayGrantTenantWideConsent(user)) return fail(aadsts(90093, { user: user.userPrincipalName }));
    const scopes = expandDefault(
      client,
      splitScopes(q.scope ?? `https://graph.microsoft.com/.default`).filter((s) => !OIDC_SCOPES.has(s)),
    );
    grantConsent(user.tenantId, client.clientId, 'admin', scopes, user);
    const params = new URLSearchParams({ admin_consent: 'True', tenant: user.tenantId });
    if (q.scope !== undefined) params.set('scope', q.scope);
    if (q.state !== undefined) params.set('state', q.state);
    startSession(reply, user);
    return redirectTo(reply, redirectUri, params);
  });

  // Token ----------------------------------------------------------------------------------------

  app.post('/:tenant/oauth2/v2.0/token', async (req, reply) => {
    const { tenant: segment } = req.params as { tenant: string };
    const form = { ...(req.query as Query), ...((req.body as Query) ?? {}) };
    const send = (err: AadstsError) =>
      reply.status(err.status).send(tokenErrorBody(err, new Date(state.now())));

    const resolved = resolveTenant(segment);
    if (!resolved) return send(aadsts(90002, { tenant: segment }));

    const basic = parseBasic(req.headers.authorization);
    const clientId = form.client_id ?? basic?.id;
    const secret = form.client_secret ?? basic?.secret;
    const client = clientId ? state.apps.get(clientId) : undefined;
    if (!client) return send(aadsts(700016, { clientId, tenant: resolved.tenant?.id ?? segment }));
    if (!secret) return send(aadsts(7000218));
    if (!safeEqual(secret, client.clientSecret)) return send(aadsts(7000215, { clientId: client.clientId }));

    const grantType = form.grant_type;
    const injected = takeTokenError(grantType, () => userOfGrant(form));
    if (injected) return send(aadsts(injected, { clientId: client.clientId, appName: client.displayName }));

    if (grantType === 'authorization_code') {
      const code = form.code ? state.codes.get(form.code) : undefined;
      if (!code || code.clientId !== client.clientId) return send(aadsts(70000));
      if (code.redeemed) return send(aadsts(54005));
      if (code.expiresAt < state.now()) return send(aadsts(70000));
      if (form.redirect_uri !== code.redirectUri) return send(aadsts(50011, { clientId: client.clientId }));
      if (!form.code_verifier || s256(form.code_verifier) !== code.codeChallenge) return send(aadsts(501481));
      if (!resolved.multi && resolved.tenant!.id !== code.tenantId) return send(aadsts(70000));
      code.redeemed = true;
      const user = state.users.get(code.userId)!;
      if (user.disabled) return send(aadsts(50057));
      const requested = [...new Set([...code.scopes, ...splitScopes(form.scope)])];
      return issueFor(client, user, requested, code.nonce, form.client_info === '1', reply);
    }

    if (grantType === 'refresh_token') {
      const record = form.refresh_token ? state.refreshTokens.get(form.refresh_token) : undefined;
      if (!record || record.clientId !== client.clientId) {
        return send({
          ...aadsts(9002313),
          error: 'invalid_grant',
          description: 'Invalid request. Request is malformed or invalid.',
        });
      }
      const user = state.users.get(record.userId);
      if (!user) return send(aadsts(50173));
      if (record.refused) return send(aadsts(record.refused, ctx0(client, user)));
      if (record.expiresAt < state.now()) return send(aadsts(700082));
      if (user.disabled) return send(aadsts(50057));
      if (!resolved.multi && resolved.tenant!.id !== user.tenantId)
        return send(aadsts(50020, ctx0(client, user)));
      if (!state.hasServicePrincipal(user.tenantId, client.clientId)) {
        return send(aadsts(700016, { clientId: client.clientId, tenant: user.tenantId }));
      }
      const requested = splitScopes(form.scope);
      return issueFor(
        client,
        user,
        requested.length ? requested : ['openid', 'profile', 'offline_access'],
        undefined,
        form.client_info === '1',
        reply,
      );
    }

    if (grantType === 'client_credentials') {
      if (resolved.multi) {
        return send({
          code: 50059,
          error: 'invalid_request',
          status: 400,
          description:
            'No tenant-identifying information found in either the request or implied by any provided credentials.',
        });
      }
      const scopes = (form.scope ?? '').split(/\s+/).filter(Boolean);
      if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
        return send({
          code: 1002012,
          error: 'invalid_scope',
          status: 400,
          description: `The provided value for scope ${form.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        });
      }
      const tenant = resolved.tenant!;
      if (!state.hasServicePrincipal(tenant.id, client.clientId)) {
        return send(aadsts(700016, { clientId: client.clientId, tenant: tenant.id }));
      }
      return issueAppToken(state, client, tenant.id);
    }

    return send({
      code: 70003,
      error: 'unsupported_grant_type',
      status: 400,
      description: `The app requested an unsupported grant type '${grantType ?? ''}'.`,
    });
  });

  function issueFor(
    client: App,
    user: User,
    requested: string[],
    nonce: string | undefined,
    withClientInfo: boolean,
    reply: FastifyReply,
  ) {
    const graphRequested = expandDefault(
      client,
      requested.filter((s) => !OIDC_SCOPES.has(s)),
    );
    const consented = state.consentedScopes(user.tenantId, client.clientId, user.id);
    const missing = graphRequested.filter((s) => !consented.has(s));
    if (missing.length > 0) {
      const err = aadsts(65001, { clientId: client.clientId, appName: client.displayName });
      return reply.status(err.status).send(tokenErrorBody(err, new Date(state.now())));
    }
    return issueUserTokens(state, {
      app: client,
      user,
      requested,
      graphScopes: [...consented],
      nonce,
      issuerBase: ctx.baseUrl(),
      clientInfo: withClientInfo,
    });
  }

  function userOfGrant(form: Query): string | undefined {
    if (form.code) return state.codes.get(form.code)?.userId;
    if (form.refresh_token) return state.refreshTokens.get(form.refresh_token)?.userId;
    return undefined;
  }

  function takeTokenError(
    grantType: string | undefined,
    userId: () => string | undefined,
  ): number | undefined {
    const idx = state.tokenErrors.findIndex(
      (e) => (!e.grantType || e.grantType === grantType) && (!e.userId || e.userId === userId()),
    );
    if (idx < 0) return undefined;
    const spec = state.tokenErrors[idx];
    if (--spec.remaining <= 0) state.tokenErrors.splice(idx, 1);
    return spec.aadsts;
  }
}

/** On the redirect, Entra reports token-endpoint style errors as access_denied or invalid_request. */
function authorizeError(err: AadstsError): AadstsError {
  return err.error === 'invalid_grant' ? { ...err, error: 'access_denied' } : err;
}

/** `.default` asks for every permission configured on the app registration. */
function expandDefault(client: App, scopes: string[]): string[] {
  return [...new Set(scopes.flatMap((s) => (s === '.default' ? client.permissions : [s])))];
}

function ctx0(client: App, user: User) {
  return {
    clientId: client.clientId,
    appName: client.displayName,
    user: user.userPrincipalName,
    tenant: user.tenantId,
  };
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const [id, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) };
}

function tenantOf(authorizationEndpoint: string | undefined): string {
  try {
    return new URL(authorizationEndpoint ?? '').pathname.split('/')[1] || 'common';
  } catch {
    return 'common';
  }
}

function cookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
