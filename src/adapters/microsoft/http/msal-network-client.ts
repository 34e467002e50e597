// MSAL's network module on top of a trusted fetch, so msal-node reaches Entra ID (or the emulator) through
// the same CA policy as the Graph client instead of the process-wide default.
import {
  ClientAuthError,
  ClientAuthErrorCodes,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { createTrustedFetch, type TrustedFetch } from './trusted-fetch.js';

export class MsalNetworkClient implements INetworkModule {
  private readonly fetch: TrustedFetch;

  constructor(fetchOrCa?: TrustedFetch | { extraCaPem?: string | string[] }) {
    this.fetch = typeof fetchOrCa === 'function' ? fetchOrCa : createTrustedFetch(fetchOrCa ?? {});
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const signal = timeout ? AbortSignal.timeout(timeout) : undefined;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        signal,
      });
    } catch (e) {
      // As msal-node's own HttpClient does: an unreachable Entra is MSAL's network_error, not a TypeError.
      const reason =
        (e as Error).name === 'TimeoutError'
          ? 'Request timeout'
          : `Network request failed: ${(e as Error).message}`;
      throw new ClientAuthError(ClientAuthErrorCodes.networkError, reason);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    // MSAL reads errors from the JSON body too (AADSTS codes, suberror), so parse whatever the status;
    // a body that is not JSON (a proxy's HTML page) becomes an empty object MSAL reports as a server error.
    const text = await response.text();
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    return { headers, body: body as T, status: response.status };
  }
}

/** Convenience for configuration: `system: { networkClient: createMsalNetworkClient({ extraCaPem }) }`. */
export function createMsalNetworkClient(options: { extraCaPem?: string | string[] } = {}): INetworkModule {
  return new MsalNetworkClient(options);
}
