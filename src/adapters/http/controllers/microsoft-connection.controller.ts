// A member's Microsoft 365 connection: start the sign-in, read its status, disconnect.
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { GetMicrosoftConnection } from '@application/connection/get-microsoft-connection.use-case.js';
import { DisconnectMicrosoft } from '@application/connection/disconnect-microsoft.use-case.js';
import type { MicrosoftConnectionResource } from '@application/member/member-resource.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { MicrosoftConnectionDto } from '../dto/member.dto.js';
import { ConnectionStartedDto, StartConnectionDto } from '../dto/microsoft.dto.js';
import { uuidPipe } from '../uuid.js';

@ApiTags('microsoft connection')
@ApiBearerAuth('apiKey')
@Controller('v1/members/:id/microsoft-connection')
export class MicrosoftConnectionController {
  constructor(
    private readonly start: StartMicrosoftConnection,
    private readonly get: GetMicrosoftConnection,
    private readonly disconnect: DisconnectMicrosoft,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: ConnectionStartedDto })
  async begin(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Member')) memberId: string,
    @Body() body: StartConnectionDto,
  ): Promise<ConnectionStartedDto> {
    const started = await this.start.execute({ workspaceId, memberId, returnUrl: body.returnUrl });
    return { authorizeUrl: started.authorizeUrl, expiresAt: started.expiresAt.toISOString() };
  }

  @Get()
  @ApiOkResponse({ type: MicrosoftConnectionDto })
  status(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Member')) memberId: string,
  ): Promise<MicrosoftConnectionResource> {
    return this.get.execute({ workspaceId, memberId });
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Member')) memberId: string,
    @InitiatedBy() by: Initiator,
  ): Promise<void> {
    await this.disconnect.execute({ workspaceId, memberId, by });
  }
}
