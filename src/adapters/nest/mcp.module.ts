// The interface for agents: the Model Context Protocol server at /mcp, whose tools call the use cases the
// REST controllers call (from the availability and booking modules).
import { Module } from '@nestjs/common';
import { PublicLinks } from '@application/ports/public-links.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { BookSlot } from '@application/booking/book-slot.use-case.js';
import { RescheduleBooking } from '@application/booking/reschedule-booking.use-case.js';
import { CancelBooking } from '@application/booking/cancel-booking.use-case.js';
import { GetBooking } from '@application/booking/get-booking.use-case.js';
import { ListBookings } from '@application/booking/list-bookings.use-case.js';
import { BookingResources } from '@application/booking/booking-resource.js';
import { BookFromHold } from '@application/booking/book-from-hold.use-case.js';
import { PlaceHold } from '@application/hold/place-hold.use-case.js';
import { ReleaseHold } from '@application/hold/release-hold.use-case.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { Clock } from '@application/ports/clock.js';
import { McpTools } from '../mcp/mcp-tools.js';
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { McpController } from '../mcp/mcp.controller.js';
import { AvailabilityModule } from './availability.module.js';
import { BookingModule } from './booking.module.js';
import { construct } from './provide.js';

@Module({
  imports: [AvailabilityModule, BookingModule],
  controllers: [McpController],
  providers: [
    construct(McpTools, [
      ListEventTypes,
      GetSlots,
      ExplainSlot,
      BookSlot,
      RescheduleBooking,
      CancelBooking,
      GetBooking,
      ListBookings,
      BookingResources,
      PublicLinks,
      PlaceHold,
      ReleaseHold,
      BookFromHold,
      IdempotencyStore,
      Clock,
      WorkspaceReadCache,
    ]),
  ],
})
export class McpModule {}
