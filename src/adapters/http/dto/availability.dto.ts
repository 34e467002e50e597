// Request and response shapes of a member's availability (PUT replaces it whole; GET shows the stored or
// default policy). Shapes are checked here; the domain checks the rules (start < end, duplicates, ranges).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { WEEKDAYS, type Weekday } from '@domain/availability/slot-engine.js';
import { IsIanaZone } from '../time-rules.js';
import {
  CONFIGURABLE_BUSY_STATUSES,
  DEFAULT_BUSY_STATUSES,
  MAX_BUFFER_MINUTES,
  MAX_DAYS_AHEAD,
  MAX_EXTRA_CALENDARS,
  MAX_INTERVALS_PER_DAY,
  MAX_NOTICE_MINUTES,
  MAX_OVERRIDES,
  type ConfigurableBusyStatus,
} from '@domain/availability/availability-policy.js';

export class WallIntervalDto {
  @ApiProperty({
    example: '09:00',
    pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
    description: 'Local wall time HH:MM.',
  })
  @IsString()
  @MaxLength(5)
  start!: string;

  @ApiProperty({
    example: '17:00',
    pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
    description: 'Local wall time HH:MM, after start; "24:00" ends the day.',
  })
  @IsString()
  @MaxLength(5)
  end!: string;
}

export class WeeklyDayDto {
  @ApiProperty({ enum: WEEKDAYS })
  @IsIn(WEEKDAYS)
  day!: Weekday;

  @ApiProperty({
    type: [WallIntervalDto],
    maxItems: MAX_INTERVALS_PER_DAY,
    description: 'Empty: no hours that day.',
  })
  @IsArray()
  @ArrayMaxSize(MAX_INTERVALS_PER_DAY)
  @ValidateNested({ each: true })
  @Type(() => WallIntervalDto)
  intervals!: WallIntervalDto[];
}

export class DateOverrideDto {
  @ApiProperty({
    example: '2026-12-24',
    format: 'date',
    description: "Local date in the policy's time zone.",
  })
  @IsString()
  @MaxLength(10)
  date!: string;

  @ApiProperty({
    type: [WallIntervalDto],
    maxItems: MAX_INTERVALS_PER_DAY,
    description: "Replaces that date's weekly hours; empty = the day off.",
  })
  @IsArray()
  @ArrayMaxSize(MAX_INTERVALS_PER_DAY)
  @ValidateNested({ each: true })
  @Type(() => WallIntervalDto)
  intervals!: WallIntervalDto[];
}

export class PutAvailabilityDto {
  @ApiProperty({
    example: 'Europe/Paris',
    description:
      'IANA time zone in which hours and overrides are read (any case; stored in its canonical spelling).',
  })
  @IsIanaZone()
  timeZone!: string;

  @ApiProperty({
    type: [WeeklyDayDto],
    maxItems: 7,
    description: 'One entry per day at most; a day not listed has no hours.',
  })
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => WeeklyDayDto)
  weekly!: WeeklyDayDto[];

  @ApiPropertyOptional({ type: [DateOverrideDto], maxItems: MAX_OVERRIDES, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_OVERRIDES)
  @ValidateNested({ each: true })
  @Type(() => DateOverrideDto)
  overrides?: DateOverrideDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_BUFFER_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  bufferBeforeMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_BUFFER_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  bufferAfterMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_NOTICE_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  minimumNoticeMinutes?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_DAYS_AHEAD,
    default: null,
    description: 'Starts must be earlier than now + this many days; null = no horizon.',
  })
  @IsOptional()
  @IsInt()
  maxDaysAhead?: number | null;

  @ApiPropertyOptional({
    enum: CONFIGURABLE_BUSY_STATUSES,
    isArray: true,
    default: DEFAULT_BUSY_STATUSES,
    description: 'Statuses of the own calendar that block; `unknown` always blocks and is not listed.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONFIGURABLE_BUSY_STATUSES.length)
  @IsString({ each: true })
  busyStatuses?: ConfigurableBusyStatus[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_EXTRA_CALENDARS,
    default: [],
    example: ['room-1@contoso.com'],
    description:
      'Room or shared mailboxes whose free/busy also blocks this member (busy, oof, tentative, unknown).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXTRA_CALENDARS)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  extraCalendars?: string[];
}

export class AvailabilityDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({
    description:
      'True when the member never stored a policy: Mon–Fri 09:00–17:00 in their mailbox time zone (else UTC).',
  })
  isDefault!: boolean;
  @ApiProperty({ example: 'Europe/Paris' }) timeZone!: string;
  @ApiProperty({ type: [WeeklyDayDto] }) weekly!: WeeklyDayDto[];
  @ApiProperty({ type: [DateOverrideDto] }) overrides!: DateOverrideDto[];
  @ApiProperty() bufferBeforeMinutes!: number;
  @ApiProperty() bufferAfterMinutes!: number;
  @ApiProperty() minimumNoticeMinutes!: number;
  @ApiProperty({ type: Number, nullable: true }) maxDaysAhead!: number | null;
  @ApiProperty({ enum: CONFIGURABLE_BUSY_STATUSES, isArray: true }) busyStatuses!: string[];
  @ApiProperty({ type: [String] }) extraCalendars!: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt!: string | null;
}
