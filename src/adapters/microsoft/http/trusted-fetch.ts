// A fetch for Microsoft hosts that trusts what Node trusts (its bundled roots plus NODE_EXTRA_CA_CERTS)
// and CAs handed in explicitly (the emulator's), so tests and sandbox reach an HTTPS stand-in without
// turning verification off, and a standalone emulator works through NODE_EXTRA_CA_CERTS as API.md says.
import { createSecureContext, getCACertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

export type TrustedFetch = typeof globalThis.fetch;

export interface TrustedFetchOptions {
  /** Extra CA certificates (PEM) to trust on top of the system roots. */
  extraCaPem?: string | string[];
  /** Connect timeout in milliseconds (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * Returns a WHATWG fetch bound to its own connection pool that trusts `extraCaPem` besides Node's roots
 * and NODE_EXTRA_CA_CERTS (an explicit `ca` list replaces Node's defaults, so both are listed again).
 */
export function createTrustedFetch(options: TrustedFetchOptions = {}): TrustedFetch {
  const extra = options.extraCaPem === undefined ? [] : [options.extraCaPem].flat().filter(Boolean);
  if (extra.length === 0) return globalThis.fetch.bind(globalThis);
  // One secure context for every connection: given `ca` instead, each new connection would parse the whole
  // list of roots again (a few ms of CPU each).
  const secureContext = createSecureContext({
    ca: [...getCACertificates('bundled'), ...getCACertificates('extra'), ...extra],
  });
  const dispatcher = new Agent({
    connect: { secureContext, timeout: options.connectTimeoutMs ?? 10_000 },
  });
  const trusted = (input: Parameters<TrustedFetch>[0], init?: Parameters<TrustedFetch>[1]) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never) as unknown as Promise<Response>;
  return trusted as TrustedFetch;
}
