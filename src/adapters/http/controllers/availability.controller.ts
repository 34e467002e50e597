// A member's availability policy: PUT replaces it whole and answers the stored object; GET shows it, or the
// default policy of a member who never stored one.
import { Body, Controller, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEFAULT_BUSY_STATUSES } from '@domain/availability/availability-policy.js';
import { GetAvailability } from '@application/availability/get-availability.use-case.js';
import { PutAvailability } from '@application/availability/put-availability.use-case.js';
import { WorkspaceId } from '../auth.js';
import { AvailabilityDto, PutAvailabilityDto } from '../dto/availability.dto.js';
import { presentAvailability } from '../availability-presenters.js';
import { PathId, GetOne } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('availability')
@ApiWorkspaceKey()
@Controller('v1/members/:id/availability')
export class AvailabilityController {
  constructor(
    private readonly putAvailability: PutAvailability,
    private readonly getAvailability: GetAvailability,
  ) {}

  @Put()
  @ApiOperation({
    summary: "Replaces a member's availability policy",
    description: 'Weekly hours, date overrides, buffers, notice, horizon, busy statuses and extra calendars.',
  })
  @ApiOkResponse({ type: AvailabilityDto, description: 'The policy as stored.' })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async put(
    @WorkspaceId() workspaceId: string,
    @PathId('Member') id: string,
    @Body() body: PutAvailabilityDto,
  ): Promise<AvailabilityDto> {
    const policy = await this.putAvailability.execute({
      workspaceId,
      memberId: id,
      settings: {
        timeZone: body.timeZone,
        weekly: body.weekly,
        overrides: body.overrides ?? [],
        bufferBeforeMinutes: body.bufferBeforeMinutes ?? 0,
        bufferAfterMinutes: body.bufferAfterMinutes ?? 0,
        minimumNoticeMinutes: body.minimumNoticeMinutes ?? 0,
        maxDaysAhead: body.maxDaysAhead ?? null,
        busyStatuses: body.busyStatuses ?? [...DEFAULT_BUSY_STATUSES],
        extraCalendars: body.extraCalendars ?? [],
      },
    });
    return presentAvailability(policy);
  }

  @GetOne("A member's availability policy (the default one if none was stored)", AvailabilityDto, '')
  async get(@WorkspaceId() workspaceId: string, @PathId('Member') id: string): Promise<AvailabilityDto> {
    return presentAvailability(await this.getAvailability.execute({ workspaceId, memberId: id }));
  }
}
