// Holds of the caller's workspace: keep a start for a few minutes, read it, release it.
import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { GetHold } from '@application/hold/get-hold.use-case.js';
import { ReleaseHold } from '@application/hold/release-hold.use-case.js';
import { WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { CreateHoldDto, HoldDto, presentHold } from '../dto/hold.dto.js';
import { DeleteOne, GetOne, PathId } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('holds')
@ApiWorkspaceKey()
@Controller('v1/holds')
export class HoldsController {
  constructor(
    private readonly place: PlaceHold,
    private readonly getOne: GetHold,
    private readonly release: ReleaseHold,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Keeps an offered start for a few minutes',
    description:
      'The start is checked as a booking’s is (a fresh Microsoft 365 read); a pool picks the host a booking would. Until it expires or is released the time leaves the slots and no booking or other hold can take it; POST /v1/bookings with `holdId` turns it into the booking.',
  })
  @ApiCreatedResponse({ type: HoldDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'SLOT_UNAVAILABLE',
    'MICROSOFT_NOT_CONNECTED',
    'CONSENT_REVOKED',
    'ACCOUNT_NOT_ACTIVE',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
  )
  async create(@WorkspaceId() workspaceId: string, @Body() body: CreateHoldDto): Promise<HoldDto> {
    return presentHold(
      await this.place.execute({
        workspaceId,
        eventTypeId: body.eventTypeId,
        start: new Date(body.start),
        expiresInSeconds: body.expiresInSeconds,
      }),
    );
  }

  @GetOne('One hold, with its status now', HoldDto)
  async one(@WorkspaceId() workspaceId: string, @PathId('Hold') id: string): Promise<HoldDto> {
    return presentHold(await this.getOne.execute({ workspaceId, holdId: id }));
  }

  @DeleteOne('Releases a hold: its time is offered again at once')
  @ApiErrorResponses('HOLD_EXPIRED')
  async remove(@WorkspaceId() workspaceId: string, @PathId('Hold') id: string): Promise<void> {
    await this.release.execute({ workspaceId, holdId: id });
  }
}
