// Bookings of the caller's workspace: book a slot, read, list, reschedule, cancel.
import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking } from '@application/booking/get-booking.use-case.js';
import { ListBookings } from '@application/booking/list-bookings.use-case.js';
import { BookingResources, type BookingResource } from '@application/booking/booking-resource.js';
import { WorkspaceId } from '../auth.js';
import { IdempotencyKeyDigest, Idempotent } from '../idempotency.interceptor.js';
import { presentPage, toPageRequest } from '../dto/page.dto.js';
import {
  BookingDto,
  BookingPageDto,
  BookingQueryDto,
  CancelBookingDto,
  CreateBookingDto,
  RescheduleBookingDto,
} from '../dto/booking.dto.js';
import { PathId, GetOne, ListPage } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('bookings')
@ApiWorkspaceKey()
@Controller('v1/bookings')
export class BookingsController {
  constructor(
    private readonly book: BookSlot,
    private readonly bookHold: BookFromHold,
    private readonly reschedule: RescheduleBooking,
    private readonly cancel: CancelBooking,
    private readonly getOne: GetBooking,
    private readonly list: ListBookings,
    private readonly resources: BookingResources,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Books an offered start',
    description:
      "The start is checked again against a fresh Microsoft 365 read; no two bookings of a host ever overlap. With `holdId` instead of `eventTypeId` and `start`, the live hold becomes the booking without another read (`409 HOLD_EXPIRED` once it expired, was released or was booked). The event is written to the host's calendar (Microsoft 365 invites the guest): the 201 carries the Teams link when that write succeeds within 5 seconds, else `calendar.syncStatus: pending` and a `booking.updated` webhook follows.",
  })
  @ApiCreatedResponse({ type: BookingDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'SLOT_UNAVAILABLE',
    'HOLD_EXPIRED',
    'MICROSOFT_NOT_CONNECTED',
    'CONSENT_REVOKED',
    'ACCOUNT_NOT_ACTIVE',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
  )
  async create(
    @WorkspaceId() workspaceId: string,
    @Body() body: CreateBookingDto,
    @IdempotencyKeyDigest() idempotencyKey: string | null,
  ): Promise<BookingResource> {
    const guest = { name: body.guest.name, email: body.guest.email, timeZone: body.guest.timeZone ?? null };
    const request = { workspaceId, guest, note: body.note ?? null, answers: body.answers, idempotencyKey };
    // The DTO lets through either a holdId or both eventTypeId and start.
    const booking = body.holdId
      ? await this.bookHold.execute({ ...request, holdId: body.holdId })
      : await this.book.execute({ ...request, eventTypeId: body.eventTypeId!, start: new Date(body.start!) });
    return this.resources.of(booking);
  }

  @ListPage('Bookings, by time range, host and status, paged', BookingPageDto)
  async page(@WorkspaceId() workspaceId: string, @Query() query: BookingQueryDto): Promise<BookingPageDto> {
    const page = await this.list.execute({
      workspaceId,
      filter: {
        start: query.start ? new Date(query.start) : undefined,
        end: query.end ? new Date(query.end) : undefined,
        hostId: query.hostId,
        status: query.status,
      },
      page: toPageRequest(query),
    });
    return presentPage(page, (b) => this.resources.of(b));
  }

  @GetOne('One booking', BookingDto)
  async one(@WorkspaceId() workspaceId: string, @PathId('Booking') id: string): Promise<BookingResource> {
    return this.resources.of(await this.getOne.execute({ workspaceId, bookingId: id }));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Moves a booking to another offered start',
    description: 'Same booking, same Outlook event and Teams link (only its times change).',
  })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'SLOT_UNAVAILABLE',
    'MICROSOFT_NOT_CONNECTED',
    'CONSENT_REVOKED',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
  )
  async move(
    @WorkspaceId() workspaceId: string,
    @PathId('Booking') id: string,
    @Body() body: RescheduleBookingDto,
  ): Promise<BookingResource> {
    return this.resources.of(
      await this.reschedule.execute({ workspaceId, bookingId: id, start: new Date(body.start) }),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancels a booking',
    description: 'The Outlook event is cancelled with the reason, so Microsoft 365 tells the attendees.',
  })
  @ApiOkResponse({ type: BookingDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async drop(
    @WorkspaceId() workspaceId: string,
    @PathId('Booking') id: string,
    @Body() body: CancelBookingDto,
  ): Promise<BookingResource> {
    return this.resources.of(
      await this.cancel.execute({ workspaceId, bookingId: id, reason: body.reason ?? null }),
    );
  }
}
