// The public JSON of the booking and manage pages (no API key; limited per client address). Each route
// finds what its URL names — an event type whose booking page is on, or the booking of a manage token —
// then calls the very use case `/v1` calls, with that workspace: same slots, same booking rules.
import { ApiErrorResponses } from '../openapi.js';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { ReleaseHeldBy } from '@application/hold/release-held-by.use-case.js';
import { formatInZone } from '@domain/availability/offset-time.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { GetBookingPage, type BookingPage } from '@application/booking-page/get-booking-page.use-case.js';
import { OpenManageLink } from '@application/booking-page/open-manage-link.use-case.js';
import { PublicBookingViews, type PublicBookingView } from '@application/booking-page/public-booking-view.js';
import { Public } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { PathId } from '../routes.js';
import {
  PublicBookingDto,
  PublicBookingPageDto,
  PublicCancelDto,
  PublicCreateBookingDto,
  PublicCreateHoldDto,
  PublicHoldDto,
  PublicReleaseHoldsDto,
  PublicRescheduleDto,
  PublicSlotsDto,
  PublicSlotsQueryDto,
} from '../dto/public.dto.js';
import { bookingIcs } from '../../web/ics.js';

const MANAGE_TOKEN_DOC = 'The token of the booking’s manageUrl.';

/** How long a booking page keeps the time a guest picked while they fill in the form. */
export const PAGE_HOLD_SECONDS = 300;

/** A page session's holder: its digest, so the stored value cannot be used to release another's hold. */
function pageHolder(session: string): string {
  return `page:${createHash('sha256').update(session).digest('base64url')}`;
}

export function presentBookingPage(page: BookingPage): PublicBookingPageDto {
  const location = page.eventType.location;
  return {
    eventTypeId: page.eventType.id,
    title: page.eventType.title,
    durationMinutes: page.eventType.durationMinutes,
    location:
      location.value === null ? { kind: location.kind } : { kind: location.kind, value: location.value },
    hostNames: page.hostNames,
    workspaceName: page.workspaceName,
    questions: [...page.eventType.questions],
  };
}

@ApiTags('public')
@Public()
@Controller('v1/public')
export class PublicBookingController {
  constructor(
    private readonly bookingPage: GetBookingPage,
    private readonly manageLink: OpenManageLink,
    private readonly getSlots: GetSlots,
    private readonly book: BookSlot,
    private readonly bookHold: BookFromHold,
    private readonly placeHold: PlaceHold,
    private readonly releaseHeldBy: ReleaseHeldBy,
    private readonly reschedule: RescheduleBooking,
    private readonly cancel: CancelBooking,
    private readonly views: PublicBookingViews,
  ) {}

  @Get('booking-pages/:eventTypeId')
  @ApiOperation({
    summary: 'An event type’s booking page: what a guest books, with whom (display names)',
    description: '404 NOT_FOUND unless the event type exists and its booking page is enabled.',
  })
  @ApiOkResponse({ type: PublicBookingPageDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'RATE_LIMITED')
  async page(@PathId('Booking page', 'eventTypeId') id: string): Promise<PublicBookingPageDto> {
    return presentBookingPage(await this.bookingPage.execute({ eventTypeId: id }));
  }

  @Get('booking-pages/:eventTypeId/slots')
  @ApiOperation({
    summary: 'The starts a guest may book between start and end',
    description: 'The same starts as GET /v1/event-types/{id}/slots, without host ids.',
  })
  @ApiOkResponse({ type: PublicSlotsDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'RANGE_TOO_LARGE',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
  )
  async pageSlots(
    @PathId('Booking page', 'eventTypeId') id: string,
    @Query() query: PublicSlotsQueryDto,
  ): Promise<PublicSlotsDto> {
    const { eventType } = await this.bookingPage.execute({ eventTypeId: id });
    return this.slots(eventType.workspaceId, eventType.id, query);
  }

  @Post('booking-pages/:eventTypeId/bookings')
  @Idempotent()
  @ApiOperation({
    summary: 'Book a start offered by the booking page',
    description:
      'The rules of POST /v1/bookings: 409 SLOT_UNAVAILABLE when the time was taken meanwhile; with `holdId`, the page’s hold becomes the booking (409 HOLD_EXPIRED once it expired, was released or was booked; 404 for a hold of another page); Idempotency-Key replays the first answer.',
  })
  @ApiCreatedResponse({ type: PublicBookingDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'SLOT_UNAVAILABLE',
    'HOLD_EXPIRED',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
  )
  async create(
    @PathId('Booking page', 'eventTypeId') id: string,
    @Body() body: PublicCreateBookingDto,
  ): Promise<PublicBookingView> {
    const { eventType } = await this.bookingPage.execute({ eventTypeId: id });
    const request = {
      workspaceId: eventType.workspaceId,
      eventTypeId: eventType.id,
      guest: { name: body.guest.name, email: body.guest.email, timeZone: body.guest.timeZone },
      note: body.note ?? null,
      answers: body.answers,
    };
    const booking = body.holdId
      ? await this.bookHold.execute({ ...request, holdId: body.holdId })
      : await this.book.execute({ ...request, start: new Date(body.start!) });
    return this.views.of(booking);
  }

  @Post('booking-pages/:eventTypeId/holds')
  @Idempotent()
  @ApiOperation({
    summary: 'Keep a start for the guest for five minutes while they fill in the form',
    description:
      'The rules of POST /v1/holds (409 SLOT_UNAVAILABLE), for five minutes. A session keeps one live hold: placing one releases the session’s earlier hold. Limited per client address (RATE_LIMIT_PAGE_HOLDS_PER_MINUTE, default 10).',
  })
  @ApiCreatedResponse({ type: PublicHoldDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'SLOT_UNAVAILABLE',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
  )
  async hold(
    @PathId('Booking page', 'eventTypeId') id: string,
    @Body() body: PublicCreateHoldDto,
  ): Promise<PublicHoldDto> {
    const { eventType } = await this.bookingPage.execute({ eventTypeId: id });
    const held = await this.placeHold.execute({
      workspaceId: eventType.workspaceId,
      eventTypeId: eventType.id,
      start: new Date(body.start),
      expiresInSeconds: PAGE_HOLD_SECONDS,
      holder: pageHolder(body.session),
    });
    return {
      id: held.id,
      start: formatInZone(held.start.getTime(), 'UTC'),
      end: formatInZone(held.end.getTime(), 'UTC'),
      expiresAt: held.expiresAt.toISOString(),
    };
  }

  @Post('booking-pages/:eventTypeId/holds/release')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Give back the time the session holds (the guest went back to the times)',
    description: '204 whether or not the session held anything.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'RATE_LIMITED')
  async release(
    @PathId('Booking page', 'eventTypeId') id: string,
    @Body() body: PublicReleaseHoldsDto,
  ): Promise<void> {
    const { eventType } = await this.bookingPage.execute({ eventTypeId: id });
    await this.releaseHeldBy.execute({
      workspaceId: eventType.workspaceId,
      holder: pageHolder(body.session),
    });
  }

  @Get('manage/:token')
  @ApiOperation({ summary: 'The booking of a manage link', description: MANAGE_TOKEN_DOC })
  @ApiOkResponse({ type: PublicBookingDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'SLOT_UNAVAILABLE', 'RATE_LIMITED')
  async managed(@Param('token') token: string): Promise<PublicBookingView> {
    return this.views.of(await this.manageLink.execute({ token }));
  }

  @Get('manage/:token/slots')
  @ApiOperation({
    summary: 'The starts the booking may be moved to',
    description: 'The slots of the booking’s event type, without host ids.',
  })
  @ApiOkResponse({ type: PublicSlotsDto })
  @ApiErrorResponses(
    'VALIDATION_FAILED',
    'NOT_FOUND',
    'RANGE_TOO_LARGE',
    'RATE_LIMITED',
    'MICROSOFT_UNAVAILABLE',
  )
  async manageSlots(
    @Param('token') token: string,
    @Query() query: PublicSlotsQueryDto,
  ): Promise<PublicSlotsDto> {
    const booking = await this.manageLink.execute({ token });
    return this.slots(booking.workspaceId, booking.eventTypeId, query);
  }

  @Post('manage/:token/reschedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the booking to another offered start',
    description:
      'The rules of POST /v1/bookings/{id}/reschedule (409 SLOT_UNAVAILABLE; booking.rescheduled).',
  })
  @ApiOkResponse({ type: PublicBookingDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'SLOT_UNAVAILABLE', 'RATE_LIMITED')
  async move(@Param('token') token: string, @Body() body: PublicRescheduleDto): Promise<PublicBookingView> {
    const booking = await this.manageLink.execute({ token });
    const moved = await this.reschedule.execute({
      workspaceId: booking.workspaceId,
      bookingId: booking.id,
      start: new Date(body.start),
    });
    return this.views.of(moved);
  }

  @Post('manage/:token/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel the booking (cancelledBy: guest)',
    description: 'The rules of POST /v1/bookings/{id}/cancel (booking.cancelled).',
  })
  @ApiOkResponse({ type: PublicBookingDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'SLOT_UNAVAILABLE', 'RATE_LIMITED')
  async drop(@Param('token') token: string, @Body() body: PublicCancelDto): Promise<PublicBookingView> {
    const booking = await this.manageLink.execute({ token });
    const cancelled = await this.cancel.execute({
      workspaceId: booking.workspaceId,
      bookingId: booking.id,
      reason: body.reason ?? null,
    });
    return this.views.of(cancelled);
  }

  @Get('manage/:token/booking.ics')
  @ApiOperation({
    summary: 'The booking as an iCalendar file (RFC 5545, METHOD:PUBLISH)',
    description: 'UID is the booking id; SEQUENCE goes up at each move or cancellation.',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  @ApiErrorResponses('NOT_FOUND', 'RATE_LIMITED')
  async ics(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const booking = await this.manageLink.execute({ token });
    const view = await this.views.of(booking);
    void reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="booking.ics"')
      .header('cache-control', 'no-store');
    return bookingIcs(view, { sequence: booking.sequence, stamp: booking.toSnapshot().updatedAt });
  }

  private async slots(
    workspaceId: string,
    eventTypeId: string,
    query: PublicSlotsQueryDto,
  ): Promise<PublicSlotsDto> {
    const result = await this.getSlots.execute({
      workspaceId,
      eventTypeId,
      start: new Date(query.start),
      end: new Date(query.end),
      timeZone: query.timeZone,
    });
    return {
      timeZone: result.timeZone,
      asOf: result.asOf,
      slots: result.slots.map(({ start, end }) => ({ start, end })),
    };
  }
}
