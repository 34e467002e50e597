// The caller's own workspace: its settings, reminders' lead time included.
import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Workspace } from '@domain/workspace/workspace.js';
import { GetWorkspace, UpdateWorkspace } from '@application/workspace/workspace-settings.use-case.js';
import { WorkspaceId } from '../auth.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

export class UpdateWorkspaceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  returnUrl?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 10080, description: 'booking.reminder lead time; 0: none.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  reminderMinutes?: number;
}

export class WorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "null: browser flows end on kailenty's own result pages.",
  })
  returnUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty() reminderMinutes!: number;
}

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
