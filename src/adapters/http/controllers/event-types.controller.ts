// Event types of the caller's workspace, their bookable slots, and why a start is or is not offered.
import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateEventType } from '@application/event-type/create-event-type.use-case.js';
import { DeleteEventType } from '@application/event-type/delete-event-type.use-case.js';
import { GetEventType } from '@application/event-type/get-event-type.use-case.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { UpdateEventType } from '@application/event-type/update-event-type.use-case.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import {
  CreateEventTypeDto,
  EventTypeDto,
  EventTypePageDto,
  UpdateEventTypeDto,
} from '../dto/event-type.dto.js';
import { ExplainQueryDto, SlotExplanationDto, SlotsDto, SlotsQueryDto } from '../dto/slots.dto.js';
import { PageQueryDto, presentPage, toPageRequest } from '../dto/page.dto.js';
import { presentEventType } from '../availability-presenters.js';
import { PublicLinks } from '@application/ports/public-links.js';
import { PathId, GetOne, DeleteOne, ListPage } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('event types')
@ApiWorkspaceKey()
@Controller('v1/event-types')
export class EventTypesController {
  constructor(
    private readonly createEventType: CreateEventType,
    private readonly listEventTypes: ListEventTypes,
    private readonly getEventType: GetEventType,
    private readonly updateEventType: UpdateEventType,
    private readonly deleteEventType: DeleteEventType,
    private readonly getSlots: GetSlots,
    private readonly explainSlot: ExplainSlot,
    private readonly links: PublicLinks,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Creates an event type',
    description:
      'Hosts must be members of the workspace; a Teams event type warns about hosts without Teams.',
  })
  @ApiCreatedResponse({ type: EventTypeDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async create(@WorkspaceId() workspaceId: string, @Body() body: CreateEventTypeDto): Promise<EventTypeDto> {
    return presentEventType(
      await this.createEventType.execute({ workspaceId, definition: body }),
      this.links,
    );
  }

  @ListPage('Event types, paged', EventTypePageDto)
  async list(@WorkspaceId() workspaceId: string, @Query() query: PageQueryDto): Promise<EventTypePageDto> {
    const page = await this.listEventTypes.execute({ workspaceId, page: toPageRequest(query) });
    return presentPage(page, (e) => presentEventType(e, this.links));
  }

  @GetOne('One event type', EventTypeDto)
  async get(@WorkspaceId() workspaceId: string, @PathId('Event type') id: string): Promise<EventTypeDto> {
    return presentEventType(await this.getEventType.execute({ workspaceId, eventTypeId: id }), this.links);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes an event type (the fields given)' })
  @ApiOkResponse({ type: EventTypeDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async update(
    @WorkspaceId() workspaceId: string,
    @PathId('Event type') id: string,
    @Body() body: UpdateEventTypeDto,
  ): Promise<EventTypeDto> {
    return presentEventType(
      await this.updateEventType.execute({ workspaceId, eventTypeId: id, changes: body }),
      this.links,
    );
  }

  @DeleteOne('Deletes an event type (its bookings stay)')
  async remove(@WorkspaceId() workspaceId: string, @PathId('Event type') id: string): Promise<void> {
    await this.deleteEventType.execute({ workspaceId, eventTypeId: id });
  }

  @Get(':id/slots')
  @ApiOperation({
    summary: 'Bookable starts between start and end',
    description:
      'A single-host event type whose host is not connected or must reconnect answers 409 MICROSOFT_NOT_CONNECTED or CONSENT_REVOKED; in a pool such hosts offer nothing and are named in warnings, as are hosts whose calendar cannot be read.',
  })
  @ApiOkResponse({ type: SlotsDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'RANGE_TOO_LARGE',
    'NOT_FOUND',
    'MICROSOFT_NOT_CONNECTED',
    'CONSENT_REVOKED',
    'ACCOUNT_NOT_ACTIVE',
  )
  async slots(
    @WorkspaceId() workspaceId: string,
    @PathId('Event type') id: string,
    @Query() query: SlotsQueryDto,
  ): Promise<SlotsDto> {
    return this.getSlots.execute({
      workspaceId,
      eventTypeId: id,
      start: new Date(query.start),
      end: new Date(query.end),
      timeZone: query.timeZone,
    });
  }

  @Get(':id/slots/explain')
  @ApiOperation({
    summary: 'Why one start is or is not offered, per host, with every reason',
    description:
      'Never a 409: a host that cannot be used is explained by a host-level reason (not_connected, consent_revoked, calendar_unreadable, member_not_active) followed by the reasons its hours and policy give.',
  })
  @ApiOkResponse({ type: SlotExplanationDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND')
  async explain(
    @WorkspaceId() workspaceId: string,
    @PathId('Event type') id: string,
    @Query() query: ExplainQueryDto,
  ): Promise<SlotExplanationDto> {
    return this.explainSlot.execute({
      workspaceId,
      eventTypeId: id,
      at: new Date(query.at),
      timeZone: query.timeZone,
    });
  }
}
