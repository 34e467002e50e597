// The audit trail of the caller's workspace: who did what to its access, newest first.
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListAuditEvents } from '@application/audit/list-audit-events.use-case.js';
import { WorkspaceId } from '../auth.js';
import { toPageRequest } from '../dto/page.dto.js';
import { AuditEventPageDto, AuditEventQueryDto, presentAuditEvent } from '../dto/audit.dto.js';

@ApiTags('audit')
@ApiWorkspaceKey()
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly listEvents: ListAuditEvents) {}

  @Get()
  @ApiOperation({
    summary: "The workspace's audit trail, newest first",
    description:
      'API keys issued and revoked, tenant consent granted and revoked, members added, activated or disabled, connected, disconnected or revoked by Microsoft, webhook endpoints created and deleted: each with its actor, the client address, the time and the object. Never a key, token or secret. Kept 400 days.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiErrorResponses('VALIDATION_FAILED')
  async list(
    @WorkspaceId() workspaceId: string,
    @Query() query: AuditEventQueryDto,
  ): Promise<AuditEventPageDto> {
    const page = await this.listEvents.execute({
      workspaceId,
      type: query.type,
      page: toPageRequest(query),
    });
    return { data: page.data.map(presentAuditEvent), nextCursor: page.nextCursor };
  }
}
