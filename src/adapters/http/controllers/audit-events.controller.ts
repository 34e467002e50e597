// The audit trail of the caller's workspace: who did what to its access, newest first.
import { ListPage } from '../routes.js';
import { ApiWorkspaceKey } from '../openapi.js';
import { Controller, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ListAuditEvents } from '@application/audit/list-audit-events.use-case.js';
import { WorkspaceId } from '../auth.js';
import { presentPage, toPageRequest } from '../dto/page.dto.js';
import { AuditEventPageDto, AuditEventQueryDto, presentAuditEvent } from '../dto/audit.dto.js';

@ApiTags('audit')
@ApiWorkspaceKey()
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly listEvents: ListAuditEvents) {}

  @ListPage(
    {
      summary: "The workspace's audit trail, newest first",
      description:
        'API keys issued and revoked, tenant consent granted and revoked, members added, activated or disabled, connected, disconnected or revoked by Microsoft, webhook endpoints created and deleted: each with its actor, the client address, the time and the object. Never a key, token or secret. Kept 400 days.',
    },
    AuditEventPageDto,
  )
  async list(
    @WorkspaceId() workspaceId: string,
    @Query() query: AuditEventQueryDto,
  ): Promise<AuditEventPageDto> {
    const page = await this.listEvents.execute({
      workspaceId,
      type: query.type,
      page: toPageRequest(query),
    });
    return presentPage(page, presentAuditEvent);
  }
}
