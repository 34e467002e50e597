// How a service wires the real Microsoft libraries to the emulator: MSAL with the emulator as a known
// authority and an injected CA, the Graph client with its default middleware but a trusted fetch at the end.
import { ConfidentialClientApplication, CryptoProvider, type AccountInfo } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import type { MicrosoftSettings } from '../../src/adapters/microsoft/microsoft-settings.js';
import { createMsalNetworkClient } from '../../src/adapters/microsoft/http/msal-network-client.js';
import { createTrustedFetch, type TrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';

export const REDIRECT = 'http://localhost:3000/oauth/microsoft/callback';
export const SCOPES = ['User.Read', 'MailboxSettings.Read', 'Calendars.ReadWrite'];

/** The settings of kailenty's Microsoft adapters, pointed at the emulator as the demo app registration. */
export function emulatorSettings(emu: Emulator): MicrosoftSettings {
  return {
    clientId: DEMO.clientId,
    clientSecret: DEMO.clientSecret,
    authorityHost: emu.url,
    graphUrl: emu.url,
    publicUrl: 'http://127.0.0.1:3000',
    extraCaPem: emu.caPem,
  };
}

export function msalFor(emu: Emulator, clientId: string, clientSecret: string, authority = emu.authority) {
  return new ConfidentialClientApplication({
    auth: { clientId, clientSecret, authority, knownAuthorities: [emu.hostAndPort] },
    system: { networkClient: createMsalNetworkClient({ extraCaPem: emu.caPem }) },
  });
}

/** Signs a user in through the emulator's authorize endpoint and redeems the code with MSAL. */
export async function connect(
  emu: Emulator,
  cca: ConfidentialClientApplication,
  loginHint: string,
  scopes = SCOPES,
) {
  const crypto = new CryptoProvider();
  const pkce = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const url = await cca.getAuthCodeUrl({
    scopes,
    redirectUri: REDIRECT,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    state,
    loginHint,
  });
  const location = new URL(await emu.control.signIn(url));
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${location.search}`);
  const result = await cca.acquireTokenByCode(
    { code, scopes, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
    { code, state },
  );
  return { account: result.account as AccountInfo, accessToken: result.accessToken };
}

/** The last link of graph-client's chain, sending through the trusted fetch instead of the global one. */
export class TrustedFetchHandler implements Middleware {
  constructor(private readonly fetch: TrustedFetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetch(context.request as string, context.options as RequestInit);
  }
}

/** graph-client's default chain (auth, retry, redirect, telemetry) ending in the trusted fetch. */
export function graphClient(emu: Emulator, getToken: () => Promise<string>): Client {
  const authProvider = { getAccessToken: getToken };
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions()),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new TrustedFetchHandler(createTrustedFetch({ extraCaPem: emu.caPem })),
    ],
    baseUrl: emu.graphUrl,
    customHosts: new Set(['127.0.0.1']),
  });
}
