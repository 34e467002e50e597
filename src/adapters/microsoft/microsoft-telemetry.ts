// What the Microsoft adapters report of their exchanges with Microsoft: every Graph request (each retry
// included) and every Entra ID answer, counted in the metrics, and each fault — status, Microsoft's error
// code, Retry-After, Microsoft's request id — written as a warn line with the workspace and member.
import type { OperationalFields, OperationalLog } from '@application/ports/operational-log.js';
import type { Metrics } from '../observability/metrics.js';

/** One HTTP exchange with Microsoft Graph. */
export interface GraphCall {
  /** Method and path template: `POST /me/events`, `PATCH /subscriptions/{id}`. */
  operation: string;
  /** Null when Graph did not answer (connection refused, timeout). */
  status: number | null;
  /** Graph's error code (`TooManyRequests`, `ErrorAccessDenied`…), or why there was no answer. */
  code: string | null;
  /** Retry-After as Graph sent it (seconds, or an HTTP date). */
  retryAfter: string | null;
  /** Graph's `request-id`, which Microsoft support asks for. */
  requestId: string | null;
  /** 1 for the first attempt, 2 for the graph client's first retry… */
  attempt: number;
  durationMs: number;
}

/** One HTTP exchange with Entra ID (token, metadata). */
export interface EntraCall {
  /** Method and path with the tenant as `{tenant}`: `POST /{tenant}/oauth2/v2.0/token`. */
  operation: string;
  status: number | null;
  /** OAuth error (`invalid_grant`…), or why there was no answer. */
  error: string | null;
  suberror: string | null;
  aadsts: number[];
  retryAfter: string | null;
  /** Entra ID's trace and correlation ids, which Microsoft support asks for. */
  traceId: string | null;
  correlationId: string | null;
  durationMs: number;
}

/** Statuses that are answers, not faults: the item is gone (deleted in Outlook), the delta token expired. */
const EXPECTED_GRAPH_STATUSES = new Set([404, 410]);

function retryAfterField(value: string | null): number | string | null {
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds : value;
}

export class MicrosoftTelemetry {
  /** Reports nowhere: for adapters built outside the application (integration tests). */
  static readonly none = new MicrosoftTelemetry(null, null);

  constructor(
    private readonly metrics: Metrics | null,
    private readonly log: OperationalLog | null,
  ) {}

  graphCall(member: { workspaceId: string; memberId: string } | null, call: GraphCall): void {
    this.metrics?.graphRequest(call.operation, call.status, call.durationMs / 1000);
    if (call.status !== null && (call.status < 400 || EXPECTED_GRAPH_STATUSES.has(call.status))) return;
    const answer =
      call.status === null
        ? `no answer (${call.code ?? 'network error'})`
        : `${call.status}${call.code ? ` ${call.code}` : ''}`;
    const wait = call.retryAfter !== null ? ` (Retry-After ${call.retryAfter})` : '';
    this.log?.warn(
      'microsoft.graph_fault',
      `Microsoft Graph answered ${answer} to ${call.operation}${wait}`,
      {
        ...(member ?? {}),
        operation: call.operation,
        status: call.status,
        code: call.code,
        retryAfter: retryAfterField(call.retryAfter),
        attempt: call.attempt,
        graphRequestId: call.requestId,
        durationMs: Math.round(call.durationMs),
      },
    );
  }

  entraCall(call: EntraCall): void {
    if (call.status !== null && call.status < 400) return;
    const answer =
      call.status === null
        ? `no answer (${call.error ?? 'network error'})`
        : `${call.status} ${call.error ?? ''}`.trim() +
          (call.aadsts.length > 0 ? ` (${call.aadsts.map((c) => `AADSTS${c}`).join(', ')})` : '');
    const fields: OperationalFields = {
      operation: call.operation,
      status: call.status,
      error: call.error,
      suberror: call.suberror,
      aadsts: call.aadsts.join(',') || null,
      retryAfter: retryAfterField(call.retryAfter),
      entraTraceId: call.traceId,
      entraCorrelationId: call.correlationId,
      durationMs: Math.round(call.durationMs),
    };
    this.log?.warn('microsoft.entra_fault', `Entra ID answered ${answer} to ${call.operation}`, fields);
  }

  /** Runs `work` with the member's ids on the Entra ID lines it causes (the network client knows no member). */
  forMember<T>(workspaceId: string, memberId: string, work: () => Promise<T>): Promise<T> {
    return this.log ? this.log.within({ workspaceId, memberId }, work) : work();
  }

  /** A member's access token: `cached`, `refreshed`, or the kind of refusal or fault. */
  tokenRefresh(outcome: string): void {
    this.metrics?.tokenRefresh(outcome);
  }
}

/**
 * A Graph URL as a bounded label: the path under /v1.0 with every id replaced by `{id}` (the segment after a
 * collection, or anything that is not a plain word), and no query.
 */
export function graphOperation(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  const segments = path
    .replace(/^\/(v1\.0|beta)(?=\/|$)/, '')
    .split('/')
    .filter(Boolean);
  const COLLECTIONS = new Set(['events', 'subscriptions', 'calendars', 'users', 'groups', 'messages']);
  const template = segments.map((segment, i) => {
    const previous = segments[i - 1];
    if (previous && COLLECTIONS.has(previous)) return '{id}';
    return /^[A-Za-z]+$/.test(segment) ? segment : '{id}';
  });
  return `${method.toUpperCase()} /${template.join('/')}`;
}

/** An Entra ID URL as a label: the tenant (first segment) as `{tenant}`, no query. */
export function entraOperation(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  const segments = path.split('/').filter(Boolean);
  if (segments.length > 1) segments[0] = '{tenant}';
  return `${method.toUpperCase()} /${segments.join('/')}`;
}
