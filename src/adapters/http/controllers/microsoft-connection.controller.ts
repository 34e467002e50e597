// A member's Microsoft 365 connection: start the sign-in, read its status, disconnect.
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { GetMicrosoftConnection } from '@application/connection/get-microsoft-connection.use-case.js';
import { DisconnectMicrosoft } from '@application/connection/disconnect-microsoft.use-case.js';
import type { MicrosoftConnectionResource } from '@application/member/member-resource.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { MicrosoftConnectionDto } from '../dto/member.dto.js';
import { ConnectionStartedDto, StartConnectionDto } from '../dto/microsoft.dto.js';
import { PathId, GetOne, DeleteOne } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('microsoft connection')
@ApiWorkspaceKey()
@Controller('v1/members/:id/microsoft-connection')
export class MicrosoftConnectionController {
  constructor(
    private readonly start: StartMicrosoftConnection,
    private readonly get: GetMicrosoftConnection,
    private readonly disconnect: DisconnectMicrosoft,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: "Starts a member's Microsoft 365 sign-in",
    description:
      "Send the member's browser to `authorizeUrl` (Entra ID, auth code + PKCE); it comes back to the return URL with `result=connected` or `result=error&code=…`.",
  })
  @ApiCreatedResponse({ type: ConnectionStartedDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'ACCOUNT_NOT_ACTIVE',
    'MICROSOFT_UNAVAILABLE',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
  )
  async begin(
    @WorkspaceId() workspaceId: string,
    @PathId('Member') memberId: string,
    @Body() body: StartConnectionDto,
  ): Promise<ConnectionStartedDto> {
    const started = await this.start.execute({ workspaceId, memberId, returnUrl: body.returnUrl });
    return { authorizeUrl: started.authorizeUrl, expiresAt: started.expiresAt.toISOString() };
  }

  @GetOne("A member's Microsoft 365 connection", MicrosoftConnectionDto, '')
  status(
    @WorkspaceId() workspaceId: string,
    @PathId('Member') memberId: string,
  ): Promise<MicrosoftConnectionResource> {
    return this.get.execute({ workspaceId, memberId });
  }

  @DeleteOne('Disconnects a member: removes the Graph subscription and forgets the tokens', '')
  async remove(
    @WorkspaceId() workspaceId: string,
    @PathId('Member') memberId: string,
    @InitiatedBy() by: Initiator,
  ): Promise<void> {
    await this.disconnect.execute({ workspaceId, memberId, by });
  }
}
