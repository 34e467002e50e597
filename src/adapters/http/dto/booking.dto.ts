// Request and response shapes of the booking endpoints.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from './page.dto.js';

export class GuestDto {
  @ApiProperty({ example: 'Jordan Lee' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jordan@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA zone the guest reads times in.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
}

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  eventTypeId!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00Z', description: 'A start offered by the slots endpoint.' })
  @IsDateString({ strict: true })
  start!: string;

  @ApiProperty({ type: GuestDto })
  @ValidateNested()
  @Type(() => GuestDto)
  guest!: GuestDto;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2026-12-02T10:00:00Z' })
  @IsDateString({ strict: true })
  start!: string;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class BookingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Bookings that end after this instant.' })
  @IsOptional()
  @IsDateString({ strict: true })
  start?: string;

  @ApiPropertyOptional({ description: 'Bookings that start before this instant.' })
  @IsOptional()
  @IsDateString({ strict: true })
  end?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  hostId?: string;

  @ApiPropertyOptional({ enum: ['confirmed', 'cancelled'] })
  @IsOptional()
  @IsIn(['confirmed', 'cancelled'])
  status?: 'confirmed' | 'cancelled';
}

class BookingLocationDto {
  @ApiProperty({ enum: ['teams', 'in_person', 'phone'] }) kind!: string;
  @ApiPropertyOptional() value?: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Teams only; null without a Teams licence.',
  })
  joinUrl?: string | null;
}

class BookingCalendarDto {
  @ApiProperty({ nullable: true, type: String }) eventId!: string | null;
  @ApiProperty({ enum: ['pending', 'synced', 'failed'] }) syncStatus!: string;
  @ApiPropertyOptional() lastError?: string;
}

class BookingWarningDto {
  @ApiProperty({ example: 'TEAMS_LICENCE_MISSING' }) code!: string;
}

class BookingGuestDto {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) timeZone!: string | null;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) eventTypeId!: string;
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty({ type: BookingGuestDto }) guest!: BookingGuestDto;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: BookingLocationDto }) location!: BookingLocationDto;
  @ApiProperty({ type: [BookingWarningDto] }) warnings!: BookingWarningDto[];
  @ApiProperty({ type: BookingCalendarDto }) calendar!: BookingCalendarDto;
  @ApiProperty({ enum: ['guest', 'host'], nullable: true, type: String }) cancelledBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancellationReason!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The guest’s manage page (PUBLIC_URL/manage/<token>): reschedule or cancel without an API key. Null only for bookings made before manage links existed.',
  })
  manageUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] }) data!: BookingDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
