// The OpenAPI document the service serves at /docs-json: Redocly's recommended ruleset finds no error in it;
// every operation lists the problems it can answer (problem+json, each code named, an example of each);
// every create documents Idempotency-Key; the schemes say what the credentials are; and the document agrees
// with the service: every operation it says needs a credential answers 401 without one.
import { randomUUID } from 'node:crypto';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type Document = {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { bearerFormat?: string; description?: string }>;
    schemas: Record<string, { required?: string[]; properties?: Record<string, Record<string, unknown>> }>;
  };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Answers no 4xx at all, so the document lists none: the probes, and a static list. */
const WITHOUT_CLIENT_ERRORS = new Set([
  'get /health',
  'get /health/live',
  'get /health/ready',
  'get /v1/permissions',
]);

/**
 * Warnings of the recommended ruleset that are the service's design, not gaps: browser redirects answer
 * 302 (never a 2xx), the operations above have no 4xx to list, and a private project (UNLICENSED) has no
 * licence, let alone a licence URL, to state.
 */
const ACCEPTED_WARNINGS: { rule: string; pointer: RegExp }[] = [
  {
    rule: 'operation-2xx-response',
    pointer: /^#\/paths\/~1oauth~1microsoft~1[^/]+(~1callback)?\/get\/responses$/,
  },
  {
    rule: 'operation-4xx-response',
    pointer: /^#\/paths\/~1(health(~1live|~1ready)?|v1~1permissions)\/get\/responses$/,
  },
  { rule: 'info-license', pointer: /^#\/info$/ },
];

let t: TestApp;
let doc: Document;
beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.http().get('/docs-json').expect(200)).body as Document;
});
afterAll(async () => t?.close());

function operations(): { key: string; path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method} ${path}`, path, method, op })),
  );
}

describe('GET /docs-json', () => {
  it("passes Redocly's recommended ruleset: no error, and only the warnings the design explains", async () => {
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'docs-json.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const described = problems.map((p) => ({
      severity: p.severity,
      rule: p.ruleId,
      pointer: p.location[0]?.pointer ?? '',
      message: p.message,
    }));
    expect(described.filter((p) => p.severity === 'error')).toEqual([]);
    const unexplained = described.filter(
      (p) => !ACCEPTED_WARNINGS.some((a) => a.rule === p.rule && a.pointer.test(p.pointer)),
    );
    expect(unexplained).toEqual([]);
  });

  it('gives every operation a summary and, but for those that answer none, its 4xx problems with their codes', () => {
    for (const { key, op } of operations()) {
      expect([key, op.summary?.length ?? 0]).not.toEqual([key, 0]);
      const clientErrors = Object.keys(op.responses).filter((status) => /^4\d\d$/.test(status));
      if (WITHOUT_CLIENT_ERRORS.has(key)) continue;
      expect([key, clientErrors.length]).not.toEqual([key, 0]);
      for (const status of clientErrors) {
        const response = op.responses[status] as {
          description: string;
          content?: Record<string, { schema?: { $ref?: string }; examples?: Record<string, unknown> }>;
        };
        const problem = response.content?.['application/problem+json'];
        expect([key, status, problem?.schema?.$ref]).toEqual([key, status, '#/components/schemas/Problem']);
        // Each code the description names has its example.
        const codes = [...response.description.matchAll(/`([A-Z_]+)`:/g)].map((m) => m[1]);
        expect(codes.length).toBeGreaterThan(0);
        expect(Object.keys(problem!.examples ?? {}).sort()).toEqual([...codes].sort());
      }
    }
    expect(Object.keys(doc.components as object)).toContain('schemas');
  });

  it('documents Idempotency-Key on every create (a POST answering 201), and its conflicts', () => {
    const creates = operations().filter(({ method, op }) => method === 'post' && op.responses['201']);
    expect(creates.map((c) => c.key).sort()).toEqual(
      [
        'post /v1/bookings',
        'post /v1/event-types',
        'post /v1/holds',
        'post /v1/members',
        'post /v1/members/{id}/microsoft-connection',
        'post /v1/microsoft-tenant/admin-consent',
        'post /v1/public/booking-pages/{eventTypeId}/bookings',
        'post /v1/public/booking-pages/{eventTypeId}/holds',
        'post /v1/webhook-endpoints',
        'post /v1/workspaces',
        'post /v1/workspaces/{id}/api-keys',
      ].sort(),
    );
    for (const { key, op } of creates) {
      expect([key, op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')]).toEqual([
        key,
        true,
      ]);
      expect(JSON.stringify(op.responses['409'])).toContain('IDEMPOTENCY_KEY_REUSED');
    }
  });

  it('documents holds: create, read, release, and HOLD_EXPIRED where a hold may have run out', () => {
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/v1/holds']!)).toEqual(['post']);
    expect(Object.keys(paths['/v1/holds/{id}']!).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(paths['/v1/holds/{id}']!.delete!.responses)).toContain('204');
    expect(JSON.stringify(paths['/v1/holds/{id}']!.delete!.responses['409'])).toContain('HOLD_EXPIRED');
    expect(JSON.stringify(paths['/v1/bookings']!.post!.responses['409'])).toContain('HOLD_EXPIRED');
    const body = JSON.stringify(doc.components.schemas.CreateBookingDto);
    expect(body).toContain('holdId');
    expect(doc.components.schemas.CreateBookingDto.required ?? []).not.toContain('eventTypeId');
  });

  it('names the servers and describes the credentials: a kly_ API key, the operator token, none for public routes', () => {
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:3000' }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'kly_… API key',
      description: expect.stringContaining('kly_'),
    });
    expect(doc.components.securitySchemes.operator).toMatchObject({ scheme: 'bearer' });
    expect(doc.components.securitySchemes.operator!.bearerFormat).not.toBe('JWT');
    for (const { key, op } of operations()) expect([key, Array.isArray(op.security)]).toEqual([key, true]);
    expect(doc.paths['/v1/permissions']!.get!.security).toEqual([]);
    expect(doc.paths['/v1/bookings']!.post!.security).toEqual([{ apiKey: [] }]);
  });

  it('describes booking limits on event types, asOf on every slots answer and the limit reason of explain', () => {
    const schemas = doc.components.schemas;
    for (const name of ['CreateEventTypeDto', 'UpdateEventTypeDto']) {
      expect(Object.keys(schemas[name]!.properties!)).toEqual(
        expect.arrayContaining(['limits', 'minimumGapMinutes']),
      );
    }
    expect(schemas.BookingLimitsDto!.properties).toMatchObject({
      perDay: { minimum: 1, maximum: 100 },
      perWeek: { minimum: 1, maximum: 500 },
    });
    expect(schemas.EventTypeDto!.required).toEqual(expect.arrayContaining(['limits', 'minimumGapMinutes']));
    for (const name of ['SlotsDto', 'PublicSlotsDto']) expect(schemas[name]!.required).toContain('asOf');
    expect(schemas.ExplainReasonDto!.properties!.code!.enum).toContain('limit');
    expect(schemas.ExplainReasonDto!.properties!.limit!.enum).toEqual([
      'perDay',
      'perWeek',
      'minimumGapMinutes',
    ]);
  });

  it('agrees with the service: every operation that takes a credential answers 401 without one', async () => {
    const secured = operations().filter(({ op }) => (op.security ?? []).length > 0);
    expect(secured.length).toBeGreaterThan(30);
    for (const { key, path, method } of secured) {
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const res = await (
        t.http() as unknown as Record<
          string,
          (u: string) => { send(b: unknown): Promise<{ status: number; body: { code?: string } }> }
        >
      )[method]!(url).send(method === 'get' || method === 'delete' ? undefined : {});
      expect([key, res.status, res.body.code]).toEqual([key, 401, 'UNAUTHENTICATED']);
    }
  });
});
