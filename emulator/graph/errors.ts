// Graph's error body, `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`,
// as every /v1.0 endpoint answers it (M365.md "Errors and batching").
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export class GraphError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorBody(req: FastifyRequest, code: string, message: string, now = new Date()) {
  const requestId = (req as { emuRequestId?: string }).emuRequestId ?? randomUUID();
  return {
    error: {
      code,
      message,
      innerError: {
        date: now.toISOString().replace(/\.\d+Z$/, ''),
        'request-id': requestId,
        'client-request-id': (req.headers['client-request-id'] as string) ?? requestId,
      },
    },
  };
}

export function sendGraphError(req: FastifyRequest, reply: FastifyReply, err: GraphError) {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.status(err.status).send(graphErrorBody(req, err.code, err.message));
}

export const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export const errors = {
  unauthenticated: (message: string) =>
    new GraphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': WWW_AUTHENTICATE }),
  accessDenied: () =>
    new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
  insufficientPrivileges: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  itemNotFound: () =>
    new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  userNotFound: (id: string) =>
    new GraphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`),
  badRequest: (message: string, code = 'BadRequest') => new GraphError(400, code, message),
  invalidRequest: (message: string) => new GraphError(400, 'ErrorInvalidRequest', message),
  mailboxNotEnabled: () =>
    new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    ),
};
