// Request and response shapes of the public JSON the booking and manage pages use (no API key). Checked as
// strictly as the API's: unknown fields refused, times with an offset, IANA zones only.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LOCATION_KINDS } from '@domain/event-type/event-type.js';
import { MAX_NOTE_LENGTH } from '@domain/booking/booking.js';
import { MAX_REASON_LENGTH } from '@application/booking/cancel-booking.use-case.js';
import { AS_OF_DESCRIPTION, SlotsQueryDto } from './slots.dto.js';
import { GuestContactDto, WithoutHold } from './booking.dto.js';
import { ANSWERS_RESPONSE_DOC, AnswerDto, AnswersField, BookingQuestionDto } from './question.dto.js';
import { IsIanaZone, IsInstant } from '../time-rules.js';

export class PublicGuestDto extends GuestContactDto {
  @ApiProperty({ example: 'Europe/Paris', description: 'The IANA zone the guest reads times in.' })
  @IsIanaZone()
  timeZone!: string;
}

export class PublicCreateBookingDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The live hold the page placed for this guest (POST …/holds): booked without another Microsoft 365 read. Not with `start`.',
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsUUID()
  holdId?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T09:00:00Z',
    description: 'Required without `holdId`: a start offered by the slots endpoint.',
  })
  @WithoutHold()
  @IsInstant()
  start?: string;

  @ApiProperty({ type: PublicGuestDto })
  // Without it a missing guest passes ValidateNested and reaches the handler.
  @IsObject()
  @ValidateNested()
  @Type(() => PublicGuestDto)
  guest!: PublicGuestDto;

  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;

  @AnswersField()
  answers?: Record<string, unknown>;
}

/** What a page session is: a random value the page keeps for the tab (sessionStorage), never shown. */
const SESSION = /^[A-Za-z0-9_-]{16,128}$/;
const SESSION_DOC =
  'A random value (16–128 letters, digits, `-` or `_`) the page keeps for its tab: the session holds at most one live hold.';

export class PublicCreateHoldDto {
  @ApiProperty({ example: '2026-12-01T09:00:00Z', description: 'A start offered by the slots endpoint.' })
  @IsInstant()
  start!: string;

  @ApiProperty({ example: 'm1Zb7Qy3c0n4Q9xT2kLw8A', description: SESSION_DOC })
  @IsString()
  @Matches(SESSION, { message: 'session must be 16 to 128 letters, digits, - or _' })
  session!: string;
}

export class PublicReleaseHoldsDto {
  @ApiProperty({ example: 'm1Zb7Qy3c0n4Q9xT2kLw8A', description: SESSION_DOC })
  @IsString()
  @Matches(SESSION, { message: 'session must be 16 to 128 letters, digits, - or _' })
  session!: string;
}

export class PublicHoldDto {
  @ApiProperty({ format: 'uuid', description: 'Give it as `holdId` when booking.' }) id!: string;
  @ApiProperty({ example: '2026-12-01T09:00:00Z' }) start!: string;
  @ApiProperty({ example: '2026-12-01T09:30:00Z' }) end!: string;
  @ApiProperty({
    example: '2026-11-20T14:08:11.482Z',
    description: 'Until when the start is kept for the guest (five minutes after it was placed).',
  })
  expiresAt!: string;
}

export class PublicRescheduleDto {
  @ApiProperty({
    example: '2026-12-02T10:00:00Z',
    description: 'A start offered by the manage slots endpoint.',
  })
  @IsInstant()
  start!: string;
}

export class PublicCancelDto {
  @ApiPropertyOptional({ maxLength: MAX_REASON_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}

export class PublicSlotsQueryDto extends SlotsQueryDto {}

class PublicLocationDto {
  @ApiProperty({ enum: LOCATION_KINDS }) kind!: string;
  @ApiPropertyOptional({ description: 'The address (in_person) or phone number (phone).' }) value?: string;
}

export class PublicBookingPageDto {
  @ApiProperty({ format: 'uuid' }) eventTypeId!: string;
  @ApiProperty({ example: 'Intro call' }) title!: string;
  @ApiProperty({ example: 30 }) durationMinutes!: number;
  @ApiProperty({ type: PublicLocationDto }) location!: PublicLocationDto;
  @ApiProperty({ type: [String], example: ['Adele Vance'], description: 'Display names, never e-mails.' })
  hostNames!: string[];
  @ApiProperty({ example: 'Contoso' }) workspaceName!: string;
  @ApiProperty({ type: [BookingQuestionDto], description: 'What the guest is asked when booking.' })
  questions!: BookingQuestionDto[];
}

class PublicSlotDto {
  @ApiProperty({ example: '2026-12-01T10:00:00+01:00' }) start!: string;
  @ApiProperty({ example: '2026-12-01T10:30:00+01:00' }) end!: string;
}

export class PublicSlotsDto {
  @ApiProperty({ example: 'Europe/Paris' }) timeZone!: string;
  @ApiProperty({ example: '2026-12-01T09:58:12.345+01:00', description: AS_OF_DESCRIPTION }) asOf!: string;
  @ApiProperty({ type: [PublicSlotDto] }) slots!: PublicSlotDto[];
}

class PublicBookingLocationDto {
  @ApiProperty({ enum: LOCATION_KINDS }) kind!: string;
  @ApiPropertyOptional({ description: 'in_person and phone.' }) value?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Teams only; null without a Teams link.',
  })
  joinUrl?: string | null;
}

class PublicWarningDto {
  @ApiProperty({ enum: ['TEAMS_LICENCE_MISSING', 'CALENDAR_MOVE_CONFLICT'] }) code!: string;
  @ApiProperty({ description: 'What it means for the guest, as a sentence.' }) message!: string;
}

class PublicBookingGuestDto {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) timeZone!: string | null;
}

export class PublicBookingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventTypeId!: string;
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled'] }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: PublicBookingLocationDto }) location!: PublicBookingLocationDto;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Harbour room',
    description: 'The name of the room the meeting takes; null when it takes none.',
  })
  room!: string | null;
  @ApiProperty({ type: [String], description: "The host's display name." }) hostNames!: string[];
  @ApiProperty({ type: PublicBookingGuestDto, description: 'The guest who booked (the link holder).' })
  guest!: PublicBookingGuestDto;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [AnswerDto], description: ANSWERS_RESPONSE_DOC }) answers!: AnswerDto[];
  @ApiProperty({ type: [PublicWarningDto] }) warnings!: PublicWarningDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The guest’s manage page.' })
  manageUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The booking as an iCalendar file.' })
  icsUrl!: string | null;
}
