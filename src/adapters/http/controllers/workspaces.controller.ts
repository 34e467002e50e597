// Operator endpoints: create workspaces and manage their API keys.
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, OperatorOnly } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { ApiKeyCreatedDto, CreateWorkspaceDto, WorkspaceCreatedDto } from '../dto/workspace.dto.js';
import { PathId, DeleteOne } from '../routes.js';
import { ApiErrorResponses, ApiOperatorToken } from '../openapi.js';

@ApiTags('operators')
@ApiOperatorToken()
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
  @ApiOperation({
    summary: 'Creates a workspace and its first API key',
    description: 'The API key is shown once; only its hash is stored.',
  })
  @ApiCreatedResponse({ type: WorkspaceCreatedDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async create(@Body() body: CreateWorkspaceDto, @InitiatedBy() by: Initiator): Promise<WorkspaceCreatedDto> {
    const { workspace, apiKey, apiKeyId } = await this.createWorkspace.execute({ ...body, by });
    return { id: workspace.id, name: workspace.name, returnUrl: workspace.returnUrl, apiKey, apiKeyId };
  }

  @Post(':id/api-keys')
  @Idempotent()
  @ApiOperation({
    summary: 'Issues another API key for a workspace (several may be active while rotating)',
  })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND')
  issueKey(@PathId('Workspace') id: string, @InitiatedBy() by: Initiator): Promise<ApiKeyCreatedDto> {
    return this.issueApiKey.execute({ workspaceId: id, by });
  }

  @DeleteOne('Revokes an API key of a workspace', ':id/api-keys/:keyId')
  async revokeKey(
    @PathId('Workspace') id: string,
    @PathId('API key', 'keyId') keyId: string,
    @InitiatedBy() by: Initiator,
  ): Promise<void> {
    await this.revokeApiKey.execute({ workspaceId: id, keyId, by });
  }
}
