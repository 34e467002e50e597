// Where browsers come back from Entra ID (and where consent and reconnect links go on to it).
// Every outcome ends in a redirect to the product's return URL, or without one to kailenty's result page
// (a short-lived signed link), except an unknown or spent state: then there is no trusted place to go, and
// the answer is a 400 INVALID_STATE problem.
import { Controller, Get, Query, Req, Res, applyDecorators } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../client-address.js';
import { CompleteMicrosoftConnection } from '@application/connection/complete-microsoft-connection.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { CompleteAdminConsent } from '@application/consent/complete-admin-consent.use-case.js';
import { FollowAdminConsentLink } from '@application/consent/follow-admin-consent-link.use-case.js';
import { Public } from '../auth.js';
import { ApiErrorResponses } from '../openapi.js';
import { redirectError } from '../../microsoft/microsoft-failure-classifier.js';

type Query_ = Record<string, string | undefined>;

function first(value: unknown): string | undefined {
  return Array.isArray(value) ? (value[0] as string) : typeof value === 'string' ? value : undefined;
}

/** A callback's query parameters: the use case's field, Entra ID's name for it, whether it must be there. */
type Parameters_ = Record<string, { name: string; required?: boolean }>;

/** Each parameter of the table, read once (the first of repeated ones), under the use case's name. */
function read<T extends Parameters_>(query: Query_, table: T): { [K in keyof T]: string | undefined } {
  return Object.fromEntries(
    Object.entries(table).map(([field, { name }]) => [field, first(query[name])]),
  ) as { [K in keyof T]: string | undefined };
}

/** The table, documented: one `ApiQuery` per parameter, in its order. */
function ApiQueries(table: Parameters_): MethodDecorator {
  return applyDecorators(
    ...Object.values(table).map(({ name, required }) => ApiQuery({ name, required: required ?? false })),
  );
}

const MEMBER_CALLBACK = {
  code: { name: 'code' },
  state: { name: 'state', required: true },
  error: { name: 'error' },
  errorDescription: { name: 'error_description' },
} satisfies Parameters_;

const ADMIN_CONSENT_CALLBACK = {
  adminConsent: { name: 'admin_consent' },
  tenant: { name: 'tenant' },
  scope: { name: 'scope' },
  ...MEMBER_CALLBACK,
} satisfies Parameters_;

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
      "Redirects to the return URL (the request's, else the workspace's) with `result=connected&memberId=…` or `result=error&code=…&memberId=…` (ACCOUNT_NOT_ACTIVE, TENANT_MISMATCH, ACCOUNT_MISMATCH, ADMIN_CONSENT_REQUIRED, CONSENT_DECLINED, MICROSOFT_ACCOUNT_DISABLED, MICROSOFT_SIGN_IN_FAILED, MICROSOFT_UNAVAILABLE). Without a return URL, to kailenty's connection result page `/microsoft/connection-result?link=…` (signed, 30 minutes), which says in plain words that the calendar is connected (member, mailbox, a missing Teams licence) or what went wrong and what to do. Only a state it cannot trust is answered here, as a 400 problem.",
  })
  @ApiQueries(MEMBER_CALLBACK)
  @ApiFoundResponse({
    description:
      'To the return URL with result=connected or result=error&code=…, and memberId; without a return URL, to /microsoft/connection-result?link=….',
  })
  @ApiErrorResponses('INVALID_STATE')
  async callback(
    @Query() query: Query_,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { error, errorDescription, ...parameters } = read(query, MEMBER_CALLBACK);
    const { redirectUrl } = await this.completeConnection.execute({
      clientAddress: clientAddress(request),
      ...parameters,
      refusal: redirectError({ error, errorDescription }, 'sign_in'),
    });
    void reply.redirect(redirectUrl, 302);
  }

  @Get('admin-consent/callback')
  @ApiOperation({
    summary: 'Where Entra ID sends the administrator back, after admin consent and after their sign-in',
    description:
      'First leg (admin_consent, tenant): nothing is recorded yet; the administrator is sent on to sign in at the tenant (auth code + PKCE). Second leg (code): the signed-in administrator must be of that tenant and, where the token carries directory roles, one that may grant tenant-wide consent; an app-only token must work. Only then is the grant recorded.',
  })
  @ApiQueries(ADMIN_CONSENT_CALLBACK)
  @ApiFoundResponse({
    description:
      "To Entra ID sign-in (first leg), then to the return URL with result=admin_consent_granted&tenantId=… or result=error&code=…&message=… (ADMIN_CONSENT_DECLINED, ADMIN_CONSENT_NOT_VERIFIED, TENANT_MISMATCH, MICROSOFT_UNAVAILABLE); without a return URL, to kailenty's page /microsoft/admin-consent/result?link=… (signed, 30 minutes): granted (tenant, permissions), declined or not verified, and what to do.",
  })
  @ApiErrorResponses('INVALID_STATE')
  async adminConsentCallback(
    @Query() query: Query_,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { error, errorDescription, ...parameters } = read(query, ADMIN_CONSENT_CALLBACK);
    const { redirectUrl } = await this.completeAdminConsent.execute({
      clientAddress: clientAddress(request),
      ...parameters,
      refusal: redirectError({ error, errorDescription }, 'admin_consent'),
    });
    void reply.redirect(redirectUrl, 302);
  }

  @Get('admin-consent/start')
  @ApiOperation({
    summary: 'Goes on from the admin consent page to Entra ID',
    description:
      "The target of the one button of kailenty's admin consent page (`adminConsentUrl`, /microsoft/admin-consent?link=…, which lists the permissions with their purposes): each visit creates a fresh single-use state and redirects to Entra ID's v2.0 adminconsent endpoint.",
  })
  @ApiQuery({
    name: 'link',
    required: true,
    description:
      'The signed link of the admin consent page (from GET /v1/microsoft-tenant, 7 days, or POST /v1/microsoft-tenant/admin-consent, 1 hour).',
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
      "A member who is not active, or Entra ID out of reach, lands on the return URL with `result=error&code=…` (without one, on kailenty's connection result page) rather than on a problem document.",
  })
  @ApiQuery({ name: 'link', required: true, description: 'The signed reconnectUrl of a member (7 days).' })
  @ApiFoundResponse({ description: 'To Entra ID sign-in, with a fresh state.' })
  @ApiErrorResponses('INVALID_STATE')
  async reconnect(@Query() query: Query_, @Res() reply: FastifyReply): Promise<void> {
    const { redirectUrl } = await this.followReconnectLink.execute(first(query.link) ?? '');
    void reply.redirect(redirectUrl, 302);
  }
}
