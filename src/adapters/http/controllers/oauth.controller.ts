// Where browsers come back from Entra ID (and where 7-day consent and reconnect links start).
// Every outcome ends in a redirect to the product's return URL, except an unknown or spent state: then
// there is no trusted place to go, and the answer is a 400 INVALID_STATE problem.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../client-address.js';
import { CompleteMicrosoftConnection } from '@application/connection/complete-microsoft-connection.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { CompleteAdminConsent } from '@application/consent/complete-admin-consent.use-case.js';
import { FollowAdminConsentLink } from '@application/consent/start-admin-consent.use-case.js';
import { Public } from '../auth.js';
import { ApiErrorResponses } from '../openapi.js';

type Query_ = Record<string, string | undefined>;

function first(value: unknown): string | undefined {
  return Array.isArray(value) ? (value[0] as string) : typeof value === 'string' ? value : undefined;
}

@ApiTags('browser redirects (Entra ID)')
@Public()
@Controller('oauth/microsoft')
export class OAuthController {
  constructor(
    private readonly completeConnection: CompleteMicrosoftConnection,
    private readonly completeAdminConsent: CompleteAdminConsent,
    private readonly followAdminLink: FollowAdminConsentLink,
    private readonly followReconnectLink: FollowReconnectLink,
  ) {}

  @Get('callback')
  @ApiOperation({
    summary: "Where Entra ID sends a member's browser back after sign-in",
    description:
      'Redirects to the return URL with `result=connected&memberId=…` or `result=error&code=…&memberId=…` (ACCOUNT_NOT_ACTIVE, TENANT_MISMATCH, ACCOUNT_MISMATCH, ADMIN_CONSENT_REQUIRED, …). Only a state it cannot trust is answered here, as a 400 problem.',
  })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: true })
  @ApiQuery({ name: 'error', required: false })
  @ApiQuery({ name: 'error_description', required: false })
  @ApiFoundResponse({
    description: 'To the return URL with result=connected or result=error&code=…, and memberId.',
  })
  @ApiErrorResponses('INVALID_STATE')
  async callback(
    @Query() query: Query_,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { redirectUrl } = await this.completeConnection.execute({
      clientAddress: clientAddress(request),
      state: first(query.state),
      code: first(query.code),
      error: first(query.error),
      errorDescription: first(query.error_description),
    });
    void reply.redirect(redirectUrl, 302);
  }

  @Get('admin-consent/callback')
  @ApiOperation({
    summary: 'Where Entra ID sends the administrator back, after admin consent and after their sign-in',
    description:
      'First leg (admin_consent, tenant): nothing is recorded yet; the administrator is sent on to sign in at the tenant (auth code + PKCE). Second leg (code): the signed-in administrator must be of that tenant and, where the token carries directory roles, one that may grant tenant-wide consent; an app-only token must work. Only then is the grant recorded.',
  })
  @ApiQuery({ name: 'admin_consent', required: false })
  @ApiQuery({ name: 'tenant', required: false })
  @ApiQuery({ name: 'scope', required: false })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: true })
  @ApiQuery({ name: 'error', required: false })
  @ApiQuery({ name: 'error_description', required: false })
  @ApiFoundResponse({
    description:
      'To Entra ID sign-in (first leg), then to the return URL with result=admin_consent_granted&tenantId=… or result=error&code=…&message=….',
  })
  @ApiErrorResponses('INVALID_STATE')
  async adminConsentCallback(
    @Query() query: Query_,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { redirectUrl } = await this.completeAdminConsent.execute({
      clientAddress: clientAddress(request),
      state: first(query.state),
      adminConsent: first(query.admin_consent),
      tenant: first(query.tenant),
      scope: first(query.scope),
      code: first(query.code),
      error: first(query.error),
      errorDescription: first(query.error_description),
    });
    void reply.redirect(redirectUrl, 302);
  }

  @Get('admin-consent/start')
  @ApiOperation({ summary: 'Follows the 7-day admin consent link on to Entra ID' })
  @ApiQuery({
    name: 'link',
    required: true,
    description: 'The signed link from GET /v1/microsoft-tenant (7 days).',
  })
  @ApiFoundResponse({ description: 'To Entra ID admin consent, with a fresh state.' })
  @ApiErrorResponses('INVALID_STATE')
  async adminConsentStart(@Query() query: Query_, @Res() reply: FastifyReply): Promise<void> {
    const { redirectUrl } = await this.followAdminLink.execute(first(query.link) ?? '');
    void reply.redirect(redirectUrl, 302);
  }

  @Get('reconnect')
  @ApiOperation({
    summary: "Follows a member's 7-day reconnect link on to Entra ID sign-in",
    description:
      'A member who is not active, or Entra ID out of reach, lands on the return URL with `result=error&code=…` rather than on a problem document.',
  })
  @ApiQuery({ name: 'link', required: true, description: 'The signed reconnectUrl of a member (7 days).' })
  @ApiFoundResponse({ description: 'To Entra ID sign-in, with a fresh state.' })
  @ApiErrorResponses('INVALID_STATE')
  async reconnect(@Query() query: Query_, @Res() reply: FastifyReply): Promise<void> {
    const { redirectUrl } = await this.followReconnectLink.execute(first(query.link) ?? '');
    void reply.redirect(redirectUrl, 302);
  }
}
