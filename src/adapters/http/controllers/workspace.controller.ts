// The caller's own workspace: its settings, reminders' lead time included.
import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Workspace } from '@domain/workspace/workspace.js';
import { GetWorkspace } from '@application/workspace/get-workspace.use-case.js';
import { UpdateWorkspace } from '@application/workspace/update-workspace.use-case.js';
import { WorkspaceId } from '../auth.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';
import { UpdateWorkspaceDto, WorkspaceDto } from '../dto/workspace.dto.js';

function present(w: Workspace): WorkspaceDto {
  const s = w.toSnapshot();
  return {
    id: s.id,
    name: s.name,
    returnUrl: s.returnUrl,
    tenantId: s.tenantId,
    reminderMinutes: s.reminderMinutes,
  };
}

@ApiTags('workspace')
@ApiWorkspaceKey()
@Controller('v1/workspace')
export class WorkspaceController {
  constructor(
    private readonly getWorkspace: GetWorkspace,
    private readonly updateWorkspace: UpdateWorkspace,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's workspace and its settings" })
  @ApiOkResponse({ type: WorkspaceDto })
  async get(@WorkspaceId() workspaceId: string): Promise<WorkspaceDto> {
    return present(await this.getWorkspace.execute({ workspaceId }));
  }

  @Patch()
  @ApiOperation({ summary: "Changes the workspace's name, return URL or reminders' lead time" })
  @ApiOkResponse({ type: WorkspaceDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async update(@WorkspaceId() workspaceId: string, @Body() body: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    return present(await this.updateWorkspace.execute({ workspaceId, changes: body }));
  }
}
