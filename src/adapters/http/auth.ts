// Who may call what: workspace API keys by default, the operator token where marked, nothing for public routes.
// The workspace an API key selects, and who is calling (for the audit trail), are put on the request for
// controllers; nothing below HTTP reads them there.
import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';
import type { AuditActor, Initiator } from '@domain/audit/audit-event.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { OperatorCredential } from './operator-credential.js';
import { clientAddress } from './client-address.js';
import { ApiNoCredential } from './openapi.js';

type Access = 'public' | 'operator' | 'workspace';
const ACCESS = 'kailenty:access';

/** No credential asked (and `security: []` in the OpenAPI document). */
export const Public = () => applyDecorators(SetMetadata(ACCESS, 'public'), ApiNoCredential());
export const OperatorOnly = () => SetMetadata(ACCESS, 'operator');

export type AuthedRequest = FastifyRequest & { workspaceId?: string; principal?: AuditActor };

/** The token of an `Authorization: Bearer …` header (also the rate limiter's credential key). */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
    private readonly operator: OperatorCredential,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access>(ACCESS, [context.getHandler(), context.getClass()]) ??
      'workspace';
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearer(request);
    if (access === 'operator') {
      const expected = this.operator.token;
      if (!token || !expected || !sameSecret(token, expected)) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'The operator token is required: Authorization: Bearer <OPERATOR_TOKEN>.',
        );
      }
      request.principal = { type: 'operator' };
      return true;
    }
    const { workspaceId, apiKeyId } = await this.authenticate.execute(token);
    request.workspaceId = workspaceId;
    request.principal = { type: 'api_key', id: apiKeyId };
    return true;
  }
}

export const WorkspaceId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const id = context.switchToHttp().getRequest<AuthedRequest>().workspaceId;
  if (!id) throw new DomainError('UNAUTHENTICATED', 'A workspace API key is required.');
  return id;
});

/** Who is calling (the API key's id, or the operator) and from which address: the actor of audit events. */
export const InitiatedBy = createParamDecorator((_: unknown, context: ExecutionContext): Initiator => {
  const request = context.switchToHttp().getRequest<AuthedRequest>();
  if (!request.principal) throw new DomainError('UNAUTHENTICATED', 'Credentials are required.');
  return { actor: request.principal, clientAddress: clientAddress(request) };
});
