// MSAL's network module on top of a trusted fetch, so msal-node reaches Entra ID (or the emulator) through
// the same CA policy as the Graph client instead of the process-wide default; every exchange is reported
// (status, OAuth error, AADSTS codes, Retry-After, trace ids) to whoever observes it.
import {
  ClientAuthError,
  ClientAuthErrorCodes,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { createTrustedFetch, type TrustedFetch } from './trusted-fetch.js';
import { entraOperation, type EntraCall } from '../microsoft-telemetry.js';

interface EntraErrorBody {
  error?: unknown;
  suberror?: unknown;
  error_codes?: unknown;
  trace_id?: unknown;
  correlation_id?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export class MsalNetworkClient implements INetworkModule {
  private readonly fetch: TrustedFetch;

  constructor(
    fetchOrCa?: TrustedFetch | { extraCaPem?: string | string[] },
    private readonly observe: (call: EntraCall) => void = () => undefined,
  ) {
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
    const started = performance.now();
    const operation = entraOperation(method, url);
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
      this.observe({
        operation,
        status: null,
        error: (e as { cause?: { code?: string } }).cause?.code ?? reason,
        suberror: null,
        aadsts: [],
        retryAfter: null,
        traceId: null,
        correlationId: null,
        durationMs: performance.now() - started,
      });
      throw new ClientAuthError(ClientAuthErrorCodes.networkError, reason);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    // MSAL reads errors from the JSON body too (AADSTS codes, suberror), so parse whatever the status;
    // a body that is not JSON (a proxy's HTML page) becomes an empty object MSAL reports as a server error.
    const raw = await response.text();
    let body: unknown = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = {};
    }
    const fault = (response.ok ? {} : body) as EntraErrorBody;
    this.observe({
      operation,
      status: response.status,
      error: text(fault.error),
      suberror: text(fault.suberror),
      aadsts: Array.isArray(fault.error_codes) ? fault.error_codes.map(Number) : [],
      retryAfter: headers['retry-after'] ?? null,
      traceId: text(fault.trace_id),
      correlationId: text(fault.correlation_id),
      durationMs: performance.now() - started,
    });
    return { headers, body: body as T, status: response.status };
  }
}

/** Convenience for configuration: `system: { networkClient: createMsalNetworkClient({ extraCaPem }) }`. */
export function createMsalNetworkClient(options: { extraCaPem?: string | string[] } = {}): INetworkModule {
  return new MsalNetworkClient(options);
}
