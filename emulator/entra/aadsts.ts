// The Entra ID errors the emulator can answer with: OAuth error, AADSTS code, message and suberror as
// Entra sends them (MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md).
import { randomUUID } from 'node:crypto';

export interface AadstsError {
  error: string;
  code: number;
  description: string;
  suberror?: string;
  status: number;
  claims?: string;
}

type Ctx = { clientId?: string; tenant?: string; user?: string; scope?: string; appName?: string };

const catalog: Record<number, (c: Ctx) => Omit<AadstsError, 'code'>> = {
  50011: (c) => ({
    error: 'invalid_request',
    status: 400,
    description: `The redirect URI specified in the request does not match the redirect URIs configured for the application '${c.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
  }),
  50020: (c) => ({
    error: 'invalid_request',
    status: 400,
    description: `User account '${c.user}' from identity provider 'live.com' does not exist in tenant '${c.tenant}' and cannot access the application '${c.clientId}'(${c.appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
  }),
  50058: () => ({
    error: 'invalid_grant',
    status: 400,
    description: 'A silent sign-in request was sent but no user is signed in.',
  }),
  50057: () => ({ error: 'invalid_grant', status: 400, description: 'The user account is disabled.' }),
  50076: () => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'basic_action',
    description:
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
    claims: '{"access_token":{"capolids":{"essential":true,"values":["' + randomUUID() + '"]}}}',
  }),
  50079: () => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'basic_action',
    description:
      'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access the application.',
  }),
  50126: () => ({
    error: 'invalid_grant',
    status: 400,
    description: 'Error validating credentials due to invalid username or password.',
  }),
  50173: () => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'bad_token',
    description:
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2026-01-01T00:00:00.0000000Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2026-01-02T00:00:00.0000000Z'.",
  }),
  53003: () => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'message_only',
    description:
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  }),
  54005: () => ({
    error: 'invalid_grant',
    status: 400,
    description:
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  }),
  65001: (c) => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'consent_required',
    description: `The user or administrator has not consented to use the application with ID '${c.clientId}' named '${c.appName}'. Send an interactive authorization request for this user and resource.`,
  }),
  65004: () => ({
    error: 'access_denied',
    status: 400,
    description: 'User declined to consent to access the app.',
  }),
  70000: () => ({
    error: 'invalid_grant',
    status: 400,
    description: "The provided value for the input parameter 'code' is not valid. The code has expired.",
  }),
  70008: () => ({
    error: 'invalid_grant',
    status: 400,
    description:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  }),
  70011: (c) => ({
    error: 'invalid_scope',
    status: 400,
    description: `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${c.scope} is not valid.`,
  }),
  90093: (c) => ({
    error: 'access_denied',
    status: 400,
    description: `Graph returned 403 Forbidden, Access Denied. The signed in user '${c.user}' is not assigned to a role that can grant admin consent.`,
  }),
  90094: () => ({ error: 'access_denied', status: 400, description: 'The grant requires admin permission.' }),
  700016: (c) => ({
    error: 'unauthorized_client',
    status: 400,
    description: `Application with identifier '${c.clientId}' was not found in the directory '${c.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  }),
  700082: () => ({
    error: 'invalid_grant',
    status: 400,
    suberror: 'bad_token',
    description:
      'The refresh token has expired due to inactivity. The token was issued on 2026-01-01T00:00:00.0000000Z and was inactive for 90.00:00:00.',
  }),
  7000215: (c) => ({
    error: 'invalid_client',
    status: 401,
    description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${c.clientId}'.`,
  }),
  7000218: () => ({
    error: 'invalid_client',
    status: 401,
    description:
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  501481: () => ({
    error: 'invalid_grant',
    status: 400,
    description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
  }),
  900144: (c) => ({
    error: 'invalid_request',
    status: 400,
    description: `The request body must contain the following parameter: '${c.scope}'.`,
  }),
  9002325: () => ({
    error: 'invalid_request',
    status: 400,
    description: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
  }),
  90014: (c) => ({
    error: 'invalid_request',
    status: 400,
    description: `The required field '${c.scope}' is missing from the credential. Ensure that you have all the necessary parameters for the login request.`,
  }),
  1002016: () => ({
    error: 'invalid_request',
    status: 400,
    description: 'You are using TLS version 1.0, 1.1 and/or 3DES cipher.',
  }),
  90002: (c) => ({
    error: 'invalid_tenant',
    status: 400,
    description: `Tenant '${c.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
  500011: (c) => ({
    error: 'invalid_resource',
    status: 400,
    description: `The resource principal named ${c.scope} was not found in the tenant named ${c.tenant}.`,
  }),
  900971: () => ({ error: 'invalid_request', status: 400, description: 'No reply address provided.' }),
};

export const knownAadstsCodes = Object.keys(catalog).map(Number);

export function aadsts(code: number, ctx: Ctx = {}): AadstsError {
  const make = catalog[code] ?? (() => ({ error: 'invalid_request', status: 400, description: 'Error.' }));
  return { code, ...make(ctx) };
}

/** The token endpoint's JSON error body, exactly Entra's field set. */
export function tokenErrorBody(err: AadstsError, now = new Date()) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
    ...(err.suberror ? { suberror: err.suberror } : {}),
    ...(err.claims ? { claims: err.claims } : {}),
  };
}

/** The query an error redirect carries back to the app (authorize and adminconsent). */
export function redirectErrorParams(err: AadstsError, state?: string, extra: Record<string, string> = {}) {
  const traceId = randomUUID();
  const params = new URLSearchParams({
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
    ...extra,
  });
  if (err.suberror) params.set('error_subcode', err.suberror);
  if (state !== undefined) params.set('state', state);
  return params;
}
