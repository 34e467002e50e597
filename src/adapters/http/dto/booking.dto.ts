// Request and response shapes of the booking endpoints.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from './page.dto.js';
import { ANSWERS_RESPONSE_DOC, AnswerDto, AnswersField } from './question.dto.js';
import { IsIanaZone, IsInstant } from '../time-rules.js';

/** Who is booking: the same rules for the API and the public booking page. */
export class GuestContactDto {
  @ApiProperty({ example: 'Jordan Lee', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jordan@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class GuestDto extends GuestContactDto {
  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description: 'IANA zone the guest reads times in (any case; answered in its canonical spelling).',
  })
  @IsOptional()
  @IsIanaZone()
  timeZone?: string;
}

/** Without a `holdId`: required. With one: refused (the hold names the event type and the start). */
export const WithoutHold = (): PropertyDecorator =>
  applyDecorators(
    ValidateIf((body: { holdId?: unknown }, value) => body.holdId === undefined || value !== undefined),
    ValidateBy({
      name: 'withoutHold',
      validator: {
        validate: (_value: unknown, args?: ValidationArguments) =>
          (args?.object as { holdId?: unknown }).holdId === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must not be given with holdId (the hold names the event type and the start)`,
      },
    }),
  );

export class CreateBookingDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: '0d6c3b9e-5f21-4a7e-9c84-1b2a3d4e5f60',
    description:
      'A live hold (POST /v1/holds) to turn into the booking: its event type, host and start are booked without another Microsoft 365 read. Not with `eventTypeId` and `start`.',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsUUID()
  holdId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '6f1c2a8e-9d4b-4c3e-8a71-2f5e0b9c1d34',
    description: 'Required without `holdId`.',
  })
  @WithoutHold()
  @IsUUID()
  eventTypeId?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T09:00:00Z',
    format: 'date-time',
    description:
      'Required without `holdId`. A start offered by the slots endpoint: with an offset or Z, years 2000 to 2199.',
  })
  @WithoutHold()
  @IsInstant()
  start?: string;

  @ApiProperty({ type: GuestDto })
  @IsObject()
  @ValidateNested()
  @Type(() => GuestDto)
  guest!: GuestDto;

  @ApiPropertyOptional({ maxLength: 5000, example: 'We would like to talk about the Q1 roll-out.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;

  @AnswersField()
  answers?: Record<string, unknown>;
}

export class RescheduleBookingDto {
  @ApiProperty({
    example: '2026-12-02T10:00:00Z',
    format: 'date-time',
    description: 'With an offset or Z, years 2000 to 2199.',
  })
  @IsInstant()
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
  @ApiPropertyOptional({ format: 'date-time', description: 'Bookings that end after this instant.' })
  @IsOptional()
  @IsInstant()
  start?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Bookings that start before this instant.' })
  @IsOptional()
  @IsInstant()
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
  @ApiProperty({ enum: ['teams', 'in_person', 'phone'], example: 'teams' }) kind!: string;
  @ApiPropertyOptional({ description: 'The address or number of in_person and phone bookings.' })
  value?: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'Teams only; null without a Teams licence, and null once the booking is cancelled (the meeting went with its event).',
    example: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ2',
  })
  joinUrl?: string | null;
}

class BookingCalendarDto {
  @ApiProperty({ nullable: true, type: String, example: 'AAMkAGI2TG93AAA=' }) eventId!: string | null;
  @ApiProperty({ enum: ['pending', 'synced', 'failed'], example: 'synced' }) syncStatus!: string;
  @ApiPropertyOptional({
    description:
      'The latest fault of the calendar write while it is retried (shown as soon as Microsoft answers it); absent once written.',
    example: 'Microsoft Graph answered 503 ServiceNotAvailable (retrying)',
  })
  lastError?: string;
}

class BookingWarningDto {
  @ApiProperty({
    enum: ['TEAMS_LICENCE_MISSING', 'CALENDAR_MOVE_CONFLICT', 'ROOM_UNAVAILABLE', 'HOST_DECLINED'],
    example: 'TEAMS_LICENCE_MISSING',
  })
  code!: string;
  @ApiPropertyOptional({
    description:
      'HOST_DECLINED only: the co-host who declined the meeting in Outlook (one warning per host).',
    format: 'uuid',
  })
  hostId?: string;
}

export class BookingRoomDto {
  @ApiProperty({ example: 'room-1@contoso.com' }) email!: string;
  @ApiProperty({ example: 'Harbour room', description: "The room's name: the Outlook event's location." })
  name!: string;
}

class BookingGuestDto {
  @ApiProperty({ example: 'Jordan Lee' }) name!: string;
  @ApiProperty({ example: 'jordan@example.com' }) email!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Europe/Paris' }) timeZone!: string | null;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid', example: '3b241101-e2bb-4255-8caf-4136c566a962' }) id!: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled'], example: 'confirmed' }) status!: string;
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-9d4b-4c3e-8a71-2f5e0b9c1d34' }) eventTypeId!: string;
  @ApiProperty({
    format: 'uuid',
    example: '9a0e5c7b-3f2d-4e1a-b6c8-7d4f2e1a0b95',
    description: "The host whose Outlook calendar holds the event (a collective booking's organiser).",
  })
  hostId!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['9a0e5c7b-3f2d-4e1a-b6c8-7d4f2e1a0b95'],
    description:
      'Every host of the booking, hostId first: one, or for a collective event type every host (the others are required attendees of the event).',
  })
  hostIds!: string[];
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:00:00Z' }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00Z' }) end!: string;
  @ApiProperty({ type: BookingGuestDto }) guest!: BookingGuestDto;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: [AnswerDto], description: ANSWERS_RESPONSE_DOC }) answers!: AnswerDto[];
  @ApiProperty({ type: BookingLocationDto }) location!: BookingLocationDto;
  @ApiPropertyOptional({
    type: BookingRoomDto,
    description:
      "The room the booking takes (an event type with rooms), invited to the host's Outlook event as a resource; absent when it takes none.",
  })
  room?: BookingRoomDto;
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
  @ApiProperty({ format: 'date-time', example: '2026-11-20T14:03:11.482Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T14:03:12.107Z' }) updatedAt!: string;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] }) data!: BookingDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
