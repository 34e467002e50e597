// Records every URL msal-node asks kailenty's network client for, in any app or test of the file, so a
// test can prove that MSAL talks only to the configured authority host (no Microsoft instance discovery).
// A URL outside the allowed hosts is recorded and refused as a network error, never sent.
import { ClientAuthError, ClientAuthErrorCodes } from '@azure/msal-node';
import { MsalNetworkClient } from '@adapters/microsoft/http/msal-network-client.js';

const METHODS = ['sendGetRequestAsync', 'sendPostRequestAsync'] as const;

export interface MsalRequestLog {
  urls: string[];
  /** The URLs whose host (with port) is not one of `hosts`. */
  outside(...hosts: string[]): string[];
  restore(): void;
}

export function recordMsalRequests(allowedHosts: () => string[]): MsalRequestLog {
  const urls: string[] = [];
  const originals = METHODS.map((method) => [method, MsalNetworkClient.prototype[method]] as const);
  for (const [method, original] of originals) {
    MsalNetworkClient.prototype[method] = function (this: MsalNetworkClient, url: string, ...rest: never[]) {
      urls.push(url);
      if (!allowedHosts().includes(new URL(url).host)) {
        return Promise.reject(
          new ClientAuthError(ClientAuthErrorCodes.networkError, `not sent by the test: ${url}`),
        );
      }
      return (original as (...args: unknown[]) => Promise<never>).call(this, url, ...rest);
    } as never;
  }
  return {
    urls,
    outside: (...hosts) => urls.filter((url) => !hosts.includes(new URL(url).host)),
    restore() {
      for (const [method, original] of originals) MsalNetworkClient.prototype[method] = original as never;
    },
  };
}
