// The workspace's Microsoft 365 tenant for administrators: its consent status and the admin consent link.
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetTenantStatus } from '@application/consent/get-tenant-status.use-case.js';
import { StartAdminConsent } from '@application/consent/start-admin-consent.use-case.js';
import { WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { AdminConsentStartedDto, StartAdminConsentDto, TenantStatusDto } from '../dto/microsoft.dto.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

@ApiTags('tenant and admin consent')
@ApiWorkspaceKey()
@Controller('v1/microsoft-tenant')
export class TenantController {
  constructor(
    private readonly status: GetTenantStatus,
    private readonly startAdminConsent: StartAdminConsent,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The workspace's Microsoft 365 tenant: consent, permissions granted, members signed in",
  })
  @ApiOkResponse({ type: TenantStatusDto })
  async get(@WorkspaceId() workspaceId: string): Promise<TenantStatusDto> {
    const s = await this.status.execute({ workspaceId });
    return {
      tenantId: s.tenantId,
      consent: { ...s.consent, grantedAt: iso(s.consent.grantedAt) },
      adminConsentUrl: s.adminConsentUrl,
      adminConsentUrlExpiresAt: s.adminConsentUrlExpiresAt.toISOString(),
      members: s.members.map((m) => ({ ...m, lastSignInAt: iso(m.lastSignInAt) })),
    };
  }

  @Post('admin-consent')
  @Idempotent()
  @ApiOperation({
    summary: 'Starts an admin consent',
    description:
      "Send the tenant administrator's browser to `adminConsentUrl` (valid 1 hour): kailenty's admin consent page lists each permission requested with its purpose, says that consent covers the whole organisation and can be revoked in the Microsoft Entra admin centre, and has one button on to Microsoft. Without a `returnUrl` (here or on the workspace) the flow ends on kailenty's result page.",
  })
  @ApiCreatedResponse({ type: AdminConsentStartedDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  start(
    @WorkspaceId() workspaceId: string,
    @Body() body: StartAdminConsentDto,
  ): Promise<AdminConsentStartedDto> {
    return this.startAdminConsent.execute({ workspaceId, tenant: body.tenant, returnUrl: body.returnUrl });
  }
}
