// What every route module of the emulator shares: the state, the public base URL and the notifier.
import type { EmulatorState } from './state.js';
import type { Notifier } from './graph/notifier.js';

export interface EmulatorContext {
  state: EmulatorState;
  /** e.g. https://127.0.0.1:8443 — known only once the server listens. */
  baseUrl(): string;
  /** host:port as MSAL's knownAuthorities wants it. */
  hostAndPort(): string;
  notifier: Notifier;
  /** PEM of the CA that signed the server certificate (for the emulator's requests to itself). */
  caPem: string;
}

/** Graph's delegated scopes are written short (Calendars.Read); requests may prefix them with the resource. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export function normalizeScope(scope: string): string {
  const s = scope.trim();
  if (s.toLowerCase().startsWith(GRAPH_RESOURCE + '/')) return s.slice(GRAPH_RESOURCE.length + 1);
  if (s.startsWith('00000003-0000-0000-c000-000000000000/')) return s.slice(37);
  return s;
}

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '')
    .split(/[\s+]+/)
    .filter(Boolean)
    .map(normalizeScope);
}
