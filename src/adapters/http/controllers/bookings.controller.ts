// Bookings of the caller's workspace: book a slot, read, list, reschedule, cancel.
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking, ListBookings } from '@application/booking/read-bookings.use-case.js';
import { BookingResources, type BookingResource } from '@application/booking/booking-resource.js';
import { WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { toPageRequest } from '../dto/page.dto.js';
import {
  BookingDto,
  BookingPageDto,
  BookingQueryDto,
  CancelBookingDto,
  CreateBookingDto,
  RescheduleBookingDto,
} from '../dto/booking.dto.js';
import { uuidPipe } from '../uuid.js';

@ApiTags('bookings')
@ApiBearerAuth('apiKey')
@Controller('v1/bookings')
export class BookingsController {
  constructor(
    private readonly book: BookSlot,
    private readonly reschedule: RescheduleBooking,
    private readonly cancel: CancelBooking,
    private readonly getOne: GetBooking,
    private readonly list: ListBookings,
    private readonly resources: BookingResources,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: BookingDto })
  async create(@WorkspaceId() workspaceId: string, @Body() body: CreateBookingDto): Promise<BookingResource> {
    const booking = await this.book.execute({
      workspaceId,
      eventTypeId: body.eventTypeId,
      start: new Date(body.start),
      guest: { name: body.guest.name, email: body.guest.email, timeZone: body.guest.timeZone ?? null },
      note: body.note ?? null,
    });
    return this.resources.of(booking);
  }

  @Get()
  @ApiOkResponse({ type: BookingPageDto })
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
    return { data: page.data.map((b) => this.resources.of(b)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingDto })
  async one(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Booking')) id: string,
  ): Promise<BookingResource> {
    return this.resources.of(await this.getOne.execute({ workspaceId, bookingId: id }));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  async move(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Booking')) id: string,
    @Body() body: RescheduleBookingDto,
  ): Promise<BookingResource> {
    return this.resources.of(
      await this.reschedule.execute({ workspaceId, bookingId: id, start: new Date(body.start) }),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BookingDto })
  async drop(
    @WorkspaceId() workspaceId: string,
    @Param('id', uuidPipe('Booking')) id: string,
    @Body() body: CancelBookingDto,
  ): Promise<BookingResource> {
    return this.resources.of(
      await this.cancel.execute({ workspaceId, bookingId: id, reason: body.reason ?? null }),
    );
  }
}
