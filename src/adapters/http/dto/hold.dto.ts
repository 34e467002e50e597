// Request and response shapes of the hold endpoints.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { HoldView } from '@application/hold/hold-view.js';
import { formatInZone } from '@domain/availability/offset-time.js';
import { HOLD_DEFAULT_SECONDS, HOLD_MAX_SECONDS, HOLD_MIN_SECONDS } from '@domain/hold/hold.js';
import { IsInstant } from '../time-rules.js';
import { BookingRoomDto } from './booking.dto.js';

export class CreateHoldDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-9d4b-4c3e-8a71-2f5e0b9c1d34' })
  @IsUUID()
  eventTypeId!: string;

  @ApiProperty({
    example: '2026-12-01T09:00:00Z',
    format: 'date-time',
    description: 'A start offered by the slots endpoint: with an offset or Z, years 2000 to 2199.',
  })
  @IsInstant()
  start!: string;

  @ApiPropertyOptional({
    minimum: HOLD_MIN_SECONDS,
    maximum: HOLD_MAX_SECONDS,
    default: HOLD_DEFAULT_SECONDS,
    description: 'How long the start is kept, in seconds.',
  })
  @IsOptional()
  @IsInt()
  @Min(HOLD_MIN_SECONDS)
  @Max(HOLD_MAX_SECONDS)
  expiresInSeconds?: number;
}

export class HoldDto {
  @ApiProperty({ format: 'uuid', example: '0d6c3b9e-5f21-4a7e-9c84-1b2a3d4e5f60' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-9d4b-4c3e-8a71-2f5e0b9c1d34' }) eventTypeId!: string;
  @ApiProperty({ format: 'uuid', example: '9a0e5c7b-3f2d-4e1a-b6c8-7d4f2e1a0b95' }) hostId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:00:00Z' }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00Z' }) end!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T14:08:11.482Z' }) expiresAt!: string;
  @ApiProperty({
    enum: ['held', 'expired', 'released', 'booked'],
    example: 'held',
    description:
      '`held` while it keeps the time; `expired` once `expiresAt` passed; `released` by DELETE; `booked` once it became a booking.',
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The booking it became.' })
  bookingId!: string | null;
  @ApiPropertyOptional({
    type: BookingRoomDto,
    description:
      'The room the hold keeps (an event type with rooms): the first room of the pool free for the meeting when it was placed, blocked for other bookings and holds while the hold is live, and the room the booking made from it takes; absent when it keeps none.',
  })
  room?: BookingRoomDto;
}

export function presentHold(view: HoldView): HoldDto {
  return {
    id: view.id,
    eventTypeId: view.eventTypeId,
    hostId: view.hostId,
    // Written like slots and bookings (`2026-12-01T09:00:00Z`), so a hold's start equals its slot's string.
    start: formatInZone(view.start.getTime(), 'UTC'),
    end: formatInZone(view.end.getTime(), 'UTC'),
    expiresAt: view.expiresAt.toISOString(),
    status: view.status,
    bookingId: view.bookingId,
    ...(view.room && { room: { email: view.room.email, name: view.room.name } }),
  };
}
