// Request and response shapes of the event type endpoints. Shapes are checked here; the domain checks the
// rules (slug format, duration range, location value, host count for single assignment).
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  ASSIGNMENTS,
  LOCATION_KINDS,
  MAX_BOOKINGS_PER_DAY,
  MAX_BOOKINGS_PER_WEEK,
  MAX_GAP_MINUTES,
  MAX_DURATION_MINUTES,
  MAX_HOSTS,
  MAX_LOCATION_VALUE_LENGTH,
  MAX_SLUG_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_DURATION_MINUTES,
  type Assignment,
  type LocationKind,
} from '@domain/event-type/event-type.js';
import { MAX_ROOMS, MAX_ROOM_NAME_LENGTH } from '@domain/event-type/room-pool.js';
import { BookingQuestionDto, QuestionsField } from './question.dto.js';

/** Optional in a PATCH, but never null: a present field is validated. */
const Present = (options?: ValidationOptions) => ValidateIf((_, value) => value !== undefined, options);

export class LocationDto {
  @ApiProperty({ enum: LOCATION_KINDS })
  @IsIn(LOCATION_KINDS)
  kind!: LocationKind;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_LOCATION_VALUE_LENGTH,
    description: 'The address (in_person) or phone number (phone): required for those, not set for teams.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LOCATION_VALUE_LENGTH)
  value?: string | null;
}

export class BookingPageSettingDto {
  @ApiProperty({ description: 'Whether guests may book this event type on its public booking page.' })
  @IsBoolean()
  enabled!: boolean;
}

export class BookingLimitsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_BOOKINGS_PER_DAY,
    description:
      "Bookings of this event type per host and local day (the host's zone); absent or null: none.",
  })
  @IsOptional()
  @IsInt()
  perDay?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_BOOKINGS_PER_WEEK,
    description:
      "Bookings of this event type per host and local week, Monday to Sunday (the host's zone); absent or null: none.",
  })
  @IsOptional()
  @IsInt()
  perWeek?: number | null;
}

export class RoomDto {
  @ApiProperty({
    example: 'room-1@contoso.com',
    description: 'The room mailbox (its address in Microsoft 365).',
  })
  @IsString()
  email!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_ROOM_NAME_LENGTH,
    example: 'Harbour room',
    description: "What a booking's location says; absent or null: the address.",
  })
  @IsOptional()
  @IsString()
  name?: string | null;
}

export class RoomPoolDto {
  @ApiProperty({
    type: [RoomDto],
    minItems: 1,
    maxItems: MAX_ROOMS,
    description: 'Tried in this order: a booking takes the first room free for its time. No address twice.',
  })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RoomDto)
  rooms!: RoomDto[];

  @ApiProperty({
    description:
      'true: a start is offered only when a room is free. false: a start is offered anyway, with a room when one is free.',
  })
  @IsBoolean()
  required!: boolean;
}

const ROOMS_DESCRIPTION =
  'Room mailboxes a booking invites one of (as a resource attendee, its name as the location), read with ' +
  'getSchedule; replaces the whole pool; null: no rooms.';

const RoomsField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: RoomPoolDto, nullable: true, description: ROOMS_DESCRIPTION }),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => RoomPoolDto),
  );

const LIMITS_DESCRIPTION =
  'Per host: a start is not offered (and not booked) once the host has this many bookings of the event type ' +
  'on its local day or week. Replaces the whole object; null or {}: no limits.';
const GAP_DESCRIPTION =
  "Minutes kept free between two of this event type's bookings of one host (on top of buffers); 0: none.";

/** `limits` and `minimumGapMinutes` read alike on create and update (null: none). */
const LimitsField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: BookingLimitsDto, nullable: true, description: LIMITS_DESCRIPTION }),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => BookingLimitsDto),
  );
const GapField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: Number,
      nullable: true,
      minimum: 0,
      maximum: MAX_GAP_MINUTES,
      description: GAP_DESCRIPTION,
    }),
    IsOptional(),
    IsInt(),
  );

export class CreateEventTypeDto {
  @ApiProperty({
    example: 'intro-call',
    maxLength: MAX_SLUG_LENGTH,
    description: 'Unique in the workspace; kebab-case.',
  })
  @IsString()
  @MaxLength(MAX_SLUG_LENGTH)
  slug!: string;

  @ApiProperty({ example: 'Intro call', maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @MaxLength(MAX_TITLE_LENGTH)
  title!: string;

  @ApiProperty({ minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES, example: 30 })
  @IsInt()
  durationMinutes!: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: MIN_DURATION_MINUTES,
    maximum: MAX_DURATION_MINUTES,
    description: 'Step between candidate starts from local midnight; default (or null): the duration.',
  })
  @IsOptional()
  @IsInt()
  slotIntervalMinutes?: number | null;

  @ApiProperty({ type: LocationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_HOSTS,
    description:
      'Members of the workspace; exactly one for single assignment; 2 to 20 for collective (the first organises the Outlook event, the others are invited as required attendees).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOSTS)
  @IsUUID('all', { each: true })
  hostIds!: string[];

  @ApiProperty({
    enum: ASSIGNMENTS,
    description:
      'single: one host; round_robin: any one free host of the pool; collective: every host at once (a start is offered only when all of them are free).',
  })
  @IsIn(ASSIGNMENTS)
  assignment!: Assignment;

  @ApiPropertyOptional({ type: BookingPageSettingDto, description: 'Default: { enabled: false }.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BookingPageSettingDto)
  bookingPage?: BookingPageSettingDto;

  @QuestionsField()
  questions?: unknown[];

  @LimitsField()
  limits?: BookingLimitsDto | null;

  @GapField()
  minimumGapMinutes?: number | null;

  @RoomsField()
  rooms?: RoomPoolDto | null;
}

export class UpdateEventTypeDto {
  @ApiPropertyOptional({ maxLength: MAX_SLUG_LENGTH })
  @Present()
  @IsString()
  @MaxLength(MAX_SLUG_LENGTH)
  slug?: string;

  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH })
  @Present()
  @IsString()
  @MaxLength(MAX_TITLE_LENGTH)
  title?: string;

  @ApiPropertyOptional({ minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES })
  @Present()
  @IsInt()
  durationMinutes?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: MIN_DURATION_MINUTES,
    maximum: MAX_DURATION_MINUTES,
    description: 'null: back to the default (the duration).',
  })
  @IsOptional()
  @IsInt()
  slotIntervalMinutes?: number | null;

  @ApiPropertyOptional({ type: LocationDto, description: 'Replaces the whole location.' })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_HOSTS })
  @Present()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOSTS)
  @IsUUID('all', { each: true })
  hostIds?: string[];

  @ApiPropertyOptional({ enum: ASSIGNMENTS })
  @Present()
  @IsIn(ASSIGNMENTS)
  assignment?: Assignment;

  @ApiPropertyOptional({ type: BookingPageSettingDto, description: 'Switches the public booking page.' })
  @Present()
  @ValidateNested()
  @Type(() => BookingPageSettingDto)
  bookingPage?: BookingPageSettingDto;

  @QuestionsField(true)
  questions?: unknown[] | null;

  @LimitsField()
  limits?: BookingLimitsDto | null;

  @GapField()
  minimumGapMinutes?: number | null;

  @RoomsField()
  rooms?: RoomPoolDto | null;
}

export class EventTypeWarningDto {
  @ApiProperty({ enum: ['TEAMS_LICENCE_MISSING'] }) code!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
}

export class EventTypeLocationDto {
  @ApiProperty({ enum: LOCATION_KINDS, example: 'teams' }) kind!: string;
  @ApiPropertyOptional({ description: 'Absent for teams.' }) value?: string;
}

export class BookingLimitsResponseDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BOOKINGS_PER_DAY, example: 4 }) perDay?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BOOKINGS_PER_WEEK, example: 10 }) perWeek?: number;
}

export class EventTypeDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-9d4b-4c3e-8a71-2f5e0b9c1d34' }) id!: string;
  @ApiProperty({ example: 'intro-call' }) slug!: string;
  @ApiProperty({ example: 'Intro call' }) title!: string;
  @ApiProperty({ example: 30 }) durationMinutes!: number;
  @ApiProperty({ description: 'The one set, else the duration.', example: 30 }) slotIntervalMinutes!: number;
  @ApiProperty({ type: EventTypeLocationDto }) location!: EventTypeLocationDto;
  @ApiProperty({ type: [String], format: 'uuid', example: ['9a0e5c7b-3f2d-4e1a-b6c8-7d4f2e1a0b95'] })
  hostIds!: string[];
  @ApiProperty({ enum: ASSIGNMENTS, example: 'single' }) assignment!: string;
  @ApiProperty({ type: BookingPageSettingDto }) bookingPage!: BookingPageSettingDto;
  @ApiProperty({ type: [BookingQuestionDto], description: 'What a guest is asked when booking (none: []).' })
  questions!: BookingQuestionDto[];
  @ApiProperty({
    type: BookingLimitsResponseDto,
    description: "Per host, in the host's zone (weeks from Monday); a limit not set is absent.",
  })
  limits!: BookingLimitsResponseDto;
  @ApiProperty({ description: GAP_DESCRIPTION, example: 0 }) minimumGapMinutes!: number;
  @ApiProperty({
    type: RoomPoolDto,
    nullable: true,
    description: 'The room pool (names filled in); null: none.',
  })
  rooms!: RoomPoolDto | null;
  @ApiPropertyOptional({
    description: 'Read-only, present while the booking page is enabled: PUBLIC_URL/book/<id>.',
    example: 'https://kailenty.example.com/book/6f1c…',
  })
  bookingUrl?: string;
  @ApiProperty({
    type: [EventTypeWarningDto],
    description:
      'TEAMS_LICENCE_MISSING for each host of a Teams event type who cannot create Teams meetings.',
  })
  warnings!: EventTypeWarningDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EventTypePageDto {
  @ApiProperty({ type: [EventTypeDto] }) data!: EventTypeDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
