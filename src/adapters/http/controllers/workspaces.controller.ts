// Operator endpoints: create workspaces and manage their API keys.
import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, OperatorOnly } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { ApiKeyCreatedDto, CreateWorkspaceDto, WorkspaceCreatedDto } from '../dto/workspace.dto.js';
import { uuidPipe } from '../uuid.js';

@ApiTags('operators')
@ApiBearerAuth('operator')
@OperatorOnly()
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(
    private readonly createWorkspace: CreateWorkspace,
    private readonly issueApiKey: IssueApiKey,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: WorkspaceCreatedDto })
  async create(@Body() body: CreateWorkspaceDto, @InitiatedBy() by: Initiator): Promise<WorkspaceCreatedDto> {
    const { workspace, apiKey, apiKeyId } = await this.createWorkspace.execute({ ...body, by });
    return { id: workspace.id, name: workspace.name, returnUrl: workspace.returnUrl, apiKey, apiKeyId };
  }

  @Post(':id/api-keys')
  @Idempotent()
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  issueKey(
    @Param('id', uuidPipe('Workspace')) id: string,
    @InitiatedBy() by: Initiator,
  ): Promise<ApiKeyCreatedDto> {
    return this.issueApiKey.execute({ workspaceId: id, by });
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeKey(
    @Param('id', uuidPipe('Workspace')) id: string,
    @Param('keyId', uuidPipe('API key')) keyId: string,
    @InitiatedBy() by: Initiator,
  ): Promise<void> {
    await this.revokeApiKey.execute({ workspaceId: id, keyId, by });
  }
}
