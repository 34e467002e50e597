// JSON batching: `POST /v1.0/$batch` runs up to 20 requests through the same routes (faults included),
// answers 200 whatever the parts say, and honours dependsOn (a failed dependency gives the part 424).
// The batch request itself needs a valid bearer token like any Graph call (401 for the whole batch).
import type { EmulatorContext } from '../context.js';
import { selfRequest } from '../self-request.js';
import { graphErrorBody } from './errors.js';
import type { GraphRouting } from './routes.js';

interface BatchPart {
  id?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export function registerBatch(routing: GraphRouting, ctx: EmulatorContext): void {
  routing.route('POST', ['/v1.0/$batch'], async (req, reply) => {
    const body = (req.body ?? {}) as { requests?: BatchPart[] };
    const parts = body.requests;
    if (!Array.isArray(parts) || parts.length === 0) {
      return reply.status(400).send(graphErrorBody(req, 'BadRequest', 'Invalid batch payload format.'));
    }
    if (parts.length > 20) {
      return reply
        .status(400)
        .send(graphErrorBody(req, 'BadRequest', 'Number of batch requests exceeds the limit of 20.'));
    }
    const ids = new Set<string>();
    for (const p of parts) {
      if (!p.id || !p.method || !p.url || ids.has(p.id)) {
        return reply
          .status(400)
          .send(
            graphErrorBody(req, 'BadRequest', 'Each batch request needs a unique id, a method and a url.'),
          );
      }
      ids.add(p.id);
    }
    const statuses = new Map<string, number>();
    const responses = [];
    for (const part of parts) {
      const failedDependency = (part.dependsOn ?? []).find((d) => {
        const s = statuses.get(d);
        return s === undefined || s < 200 || s >= 300;
      });
      if (failedDependency !== undefined) {
        statuses.set(part.id!, 424);
        responses.push({
          id: part.id,
          status: 424,
          headers: { 'Content-Type': 'application/json' },
          body: graphErrorBody(
            req,
            'FailedDependency',
            `The request depends on request ${failedDependency}, which failed.`,
          ),
        });
        continue;
      }
      const url = part.url!.startsWith('/') ? part.url! : `/${part.url}`;
      const headers: Record<string, string> = { ...(part.headers ?? {}) };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      if (part.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
      const res = await selfRequest(ctx.baseUrl(), ctx.caPem, {
        method: part.method!.toUpperCase(),
        path: `/v1.0${url}`,
        headers,
        body:
          part.body === undefined
            ? undefined
            : typeof part.body === 'string'
              ? part.body
              : JSON.stringify(part.body),
      });
      statuses.set(part.id!, res.status);
      const names: Record<string, string> = {
        'content-type': 'Content-Type',
        'retry-after': 'Retry-After',
        location: 'Location',
        'www-authenticate': 'WWW-Authenticate',
      };
      const outHeaders: Record<string, string> = {};
      for (const [h, name] of Object.entries(names)) {
        const v = res.headers[h];
        if (v !== undefined) outHeaders[name] = String(v);
      }
      let partBody: unknown = undefined;
      if (res.body) {
        try {
          partBody = JSON.parse(res.body);
        } catch {
          partBody = res.body;
        }
      }
      responses.push({
        id: part.id,
        status: res.status,
        headers: outHeaders,
        ...(partBody !== undefined ? { body: partBody } : {}),
      });
    }
    return reply.status(200).send({ responses });
  });
}
