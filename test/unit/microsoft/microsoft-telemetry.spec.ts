// How the Microsoft adapters' exchanges become metrics labels and log lines: bounded operation names (ids
// never in a label), a warn line per fault with status, code, Retry-After and Microsoft's request id, and
// nothing for answers that are not faults.
import {
  entraOperation,
  graphOperation,
  MicrosoftTelemetry,
  type GraphCall,
} from '@adapters/microsoft/microsoft-telemetry.js';
import { Metrics } from '@adapters/observability/metrics.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';

describe('operation names', () => {
  it('keep Graph paths, with ids (event ids, GUIDs, addresses) as {id} and no query', () => {
    const graph = 'https://graph.microsoft.com/v1.0';
    expect(graphOperation('post', `${graph}/me/events`)).toBe('POST /me/events');
    expect(graphOperation('PATCH', `${graph}/me/events/AAMkAGI2TG93AAA%3D`)).toBe('PATCH /me/events/{id}');
    expect(graphOperation('POST', `${graph}/me/events/AAMkAGI2TG93AAA%3D/cancel`)).toBe(
      'POST /me/events/{id}/cancel',
    );
    expect(graphOperation('GET', `${graph}/me/events?$filter=transactionId eq 'x'&$select=id`)).toBe(
      'GET /me/events',
    );
    expect(
      graphOperation('POST', `${graph}/subscriptions/7f105c7d-2dc5-4530-97cd-4e7ae6534c07/reauthorize`),
    ).toBe('POST /subscriptions/{id}/reauthorize');
    expect(graphOperation('GET', `${graph}/me/calendarView/delta?$deltatoken=abc`)).toBe(
      'GET /me/calendarView/delta',
    );
    expect(graphOperation('GET', `${graph}/users/adele@contoso.com/calendar`)).toBe(
      'GET /users/{id}/calendar',
    );
  });

  it('keep Entra ID paths with the tenant as {tenant}', () => {
    expect(
      entraOperation(
        'post',
        'https://login.microsoftonline.com/2f1c1d6e-0000-4000-8000-000000000001/oauth2/v2.0/token',
      ),
    ).toBe('POST /{tenant}/oauth2/v2.0/token');
    expect(
      entraOperation(
        'GET',
        'https://login.microsoftonline.com/contoso.com/v2.0/.well-known/openid-configuration',
      ),
    ).toBe('GET /{tenant}/v2.0/.well-known/openid-configuration');
  });
});

describe('MicrosoftTelemetry', () => {
  const call = (over: Partial<GraphCall>): GraphCall => ({
    operation: 'POST /me/events',
    status: 201,
    code: null,
    retryAfter: null,
    requestId: 'req-1',
    attempt: 1,
    durationMs: 120,
    ...over,
  });
  const member = { workspaceId: 'w1', memberId: 'm1' };

  it('counts every Graph exchange and logs each fault with what Microsoft said', async () => {
    const metrics = new Metrics();
    const log = new RecordingOperationalLog();
    const telemetry = new MicrosoftTelemetry(metrics, log);
    telemetry.graphCall(member, call({}));
    telemetry.graphCall(
      member,
      call({ status: 429, code: 'ApplicationThrottled', retryAfter: '7', attempt: 2 }),
    );
    telemetry.graphCall(member, call({ status: null, code: 'ECONNRESET', requestId: null }));
    expect(log.lines).toEqual([
      {
        level: 'warn',
        event: 'microsoft.graph_fault',
        message: 'Microsoft Graph answered 429 ApplicationThrottled to POST /me/events (Retry-After 7)',
        fields: {
          workspaceId: 'w1',
          memberId: 'm1',
          operation: 'POST /me/events',
          status: 429,
          code: 'ApplicationThrottled',
          retryAfter: 7,
          attempt: 2,
          graphRequestId: 'req-1',
          durationMs: 120,
        },
      },
      expect.objectContaining({
        message: 'Microsoft Graph answered no answer (ECONNRESET) to POST /me/events',
        fields: expect.objectContaining({ status: null, code: 'ECONNRESET' }),
      }),
    ]);
    const text = await metrics.text();
    for (const status of ['201', '429', 'none'])
      expect(text).toContain(
        `kailenty_graph_requests_total{operation="POST /me/events",status="${status}"} 1`,
      );
  });

  it('does not call an item gone (404) or an expired delta token (410) a fault', () => {
    const log = new RecordingOperationalLog();
    const telemetry = new MicrosoftTelemetry(null, log);
    telemetry.graphCall(member, call({ status: 404, code: 'ErrorItemNotFound' }));
    telemetry.graphCall(member, call({ status: 410, code: 'syncStateNotFound' }));
    expect(log.lines).toEqual([]);
  });

  it('logs Entra ID refusals with their AADSTS codes and trace ids, in the member scope it was given', async () => {
    const log = new RecordingOperationalLog();
    const telemetry = new MicrosoftTelemetry(null, log);
    await telemetry.forMember('w1', 'm1', async () =>
      telemetry.entraCall({
        operation: 'POST /{tenant}/oauth2/v2.0/token',
        status: 400,
        error: 'invalid_grant',
        suberror: null,
        aadsts: [50173],
        retryAfter: null,
        traceId: 'trace-1',
        correlationId: 'corr-1',
        durationMs: 30,
      }),
    );
    expect(log.lines).toEqual([
      {
        level: 'warn',
        event: 'microsoft.entra_fault',
        message: 'Entra ID answered 400 invalid_grant (AADSTS50173) to POST /{tenant}/oauth2/v2.0/token',
        fields: {
          workspaceId: 'w1',
          memberId: 'm1',
          operation: 'POST /{tenant}/oauth2/v2.0/token',
          status: 400,
          error: 'invalid_grant',
          suberror: null,
          aadsts: '50173',
          retryAfter: null,
          entraTraceId: 'trace-1',
          entraCorrelationId: 'corr-1',
          durationMs: 30,
        },
      },
    ]);
  });
});
