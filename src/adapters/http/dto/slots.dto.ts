// Query and response shapes of the slots and explain endpoints. Times in responses are ISO 8601 with the
// offset of the `timeZone` query parameter (default UTC), which changes how times are written, never which.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { INSTANT_RULE, parseInstant } from '@domain/shared/instant.js';
import { canonicalTimeZone } from '@domain/shared/time-zone.js';
import { IsIanaZone, IsInstant } from '../time-rules.js';
import { quickValidation } from '../validation.js';
import { BookingRoomDto } from './booking.dto.js';

const inQuery = { message: `$property ${INSTANT_RULE} (in a query, encode "+" as %2B)` };

export class SlotsQueryDto {
  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'Slots start at or after this instant.' })
  @IsInstant(inQuery)
  start!: string;

  @ApiProperty({
    example: '2026-12-08T00:00:00Z',
    description: 'Slots end at or before this instant; at most 62 × 24 h after start (else RANGE_TOO_LARGE).',
  })
  @IsInstant(inQuery)
  end!: string;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    default: 'UTC',
    description: 'IANA zone whose offset times are written with.',
  })
  @IsOptional()
  @IsIanaZone()
  timeZone?: string;
}

/** What the full pipe makes of a valid slots query, checked by the same domain rules; null otherwise. */
export function quickSlotsQuery(value: unknown): SlotsQueryDto | null {
  if (typeof value !== 'object' || value === null) return null;
  const query = value as Record<string, unknown>;
  for (const key of Object.keys(query))
    if (key !== 'start' && key !== 'end' && key !== 'timeZone') return null;
  if (parseInstant(query.start) === null || parseInstant(query.end) === null) return null;
  const dto = new SlotsQueryDto();
  dto.start = query.start as string;
  dto.end = query.end as string;
  if ('timeZone' in query) {
    const zone = canonicalTimeZone(query.timeZone);
    if (zone === null) return null;
    dto.timeZone = zone;
  }
  return dto;
}
quickValidation(SlotsQueryDto, quickSlotsQuery);

export class ExplainQueryDto {
  @ApiProperty({ example: '2026-12-01T10:00:00+01:00', description: 'The start to explain.' })
  @IsInstant(inQuery)
  at!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC' })
  @IsOptional()
  @IsIanaZone()
  timeZone?: string;
}

export const HOST_WARNING_CODES = [
  'MICROSOFT_NOT_CONNECTED',
  'CONSENT_REVOKED',
  'MICROSOFT_UNAVAILABLE',
  'RATE_LIMITED',
  'ACCOUNT_NOT_ACTIVE',
  'ENCRYPTION_KEY_MISSING',
];

export class HostWarningDto {
  @ApiProperty({
    enum: HOST_WARNING_CODES,
    description:
      'Why this host offers nothing: not connected, consent revoked or re-authorization required, calendar unreadable (MICROSOFT_UNAVAILABLE, RATE_LIMITED), member not active, or the service cannot open the stored Microsoft tokens of the host (ENCRYPTION_KEY_MISSING: an encryption key its operator removed).',
  })
  code!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
}

export class SlotDto {
  @ApiProperty({ example: '2026-12-01T10:00:00+01:00' }) start!: string;
  @ApiProperty({ example: '2026-12-01T10:30:00+01:00' }) end!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The hosts that offer this start, in event type order.',
  })
  hostIds!: string[];
}

export const AS_OF_DESCRIPTION =
  'When the oldest Microsoft 365 free/busy read these slots rest on was made (a cached read: when it was read ' +
  "from Microsoft, not when served), in the answer's zone; the time of the answer when no calendar was read.";

export class SlotsDto {
  @ApiProperty({ example: 'Europe/Paris' }) timeZone!: string;
  @ApiProperty({ example: '2026-12-01T09:58:12.345+01:00', description: AS_OF_DESCRIPTION }) asOf!: string;
  @ApiProperty({ type: [SlotDto] }) slots!: SlotDto[];
  @ApiProperty({ type: [HostWarningDto] }) warnings!: HostWarningDto[];
}

export const REASON_CODES = [
  'member_not_active',
  'not_connected',
  'consent_revoked',
  'calendar_unreadable',
  'not_on_grid',
  'outside_hours',
  'override',
  'notice',
  'horizon',
  'range',
  'busy',
  'booking',
  'buffer',
  'limit',
  'room',
];

export class OverrideIntervalDto {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '12:00' }) end!: string;
}

export class RoomBusyItemDto {
  @ApiProperty({ example: '2026-12-01T09:00:00Z' }) start!: string;
  @ApiProperty({ example: '2026-12-01T10:00:00Z' }) end!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description:
      "A kailenty booking's id, or a live hold's, that takes the room; null for an item of the room's calendar.",
  })
  bookingId!: string | null;
}

export class TakenRoomDto {
  @ApiProperty({ example: 'room-1@contoso.com' }) email!: string;
  @ApiProperty({ description: 'Microsoft 365 could not read its calendar: it counts as busy throughout.' })
  unreadable!: boolean;
  @ApiProperty({ type: [RoomBusyItemDto], description: 'What overlaps the meeting, by start.' })
  busy!: RoomBusyItemDto[];
}

export class ExplainReasonDto {
  @ApiProperty({
    enum: REASON_CODES,
    description: [
      'Host level (the host offers nothing): `member_not_active` (memberStatus), `not_connected`,',
      '`consent_revoked` (connection: revoked | reauthorization_required), `calendar_unreadable` (errorCode, calendar).',
      'Rules: `not_on_grid` (localStart, slotIntervalMinutes), `outside_hours` (localStart, localEnd: host wall times),',
      '`override` (date, intervals: that date has override hours, [] = day off), `notice` (earliestStart),',
      '`horizon` (horizonEnd), `busy` (start, end, status, calendar: a calendar item overlapping the slot),',
      '`booking` (start, end, bookingId: a kailenty booking overlapping the slot),',
      '`buffer` (start, end, source, status, calendar, bookingId: an item overlapping only the buffers),',
      '`limit` (limit: perDay | perWeek | minimumGapMinutes, value, count, bookingId: a booking limit of the',
      'event type that the host has reached, or the booking of the type that is closer than the gap),',
      '`room` (rooms: an event type with a required room pool, no room of which is free for the meeting;',
      'each room with what takes it, from its calendar or a kailenty booking or live hold, or unreadable).',
    ].join(' '),
  })
  code!: string;
  @ApiProperty({ description: 'For people.' }) message!: string;
  @ApiPropertyOptional({ enum: ['pending', 'disabled'] }) memberStatus?: string;
  @ApiPropertyOptional({ enum: ['revoked', 'reauthorization_required'] }) connection?: string;
  @ApiPropertyOptional({
    enum: [
      'MICROSOFT_NOT_CONNECTED',
      'CONSENT_REVOKED',
      'MICROSOFT_UNAVAILABLE',
      'RATE_LIMITED',
      'ENCRYPTION_KEY_MISSING',
    ],
  })
  errorCode?: string;
  @ApiPropertyOptional({ example: '2026-12-01T07:30', description: "Host's wall time." }) localStart?: string;
  @ApiPropertyOptional({ example: '2026-12-01T08:00', description: "Host's wall time." }) localEnd?: string;
  @ApiPropertyOptional() slotIntervalMinutes?: number;
  @ApiPropertyOptional({ format: 'date' }) date?: string;
  @ApiPropertyOptional({ type: [OverrideIntervalDto] }) intervals?: OverrideIntervalDto[];
  @ApiPropertyOptional() earliestStart?: string;
  @ApiPropertyOptional() horizonEnd?: string;
  @ApiPropertyOptional({ description: 'Of the busy item or booking.' }) start?: string;
  @ApiPropertyOptional({ description: 'Of the busy item or booking.' }) end?: string;
  @ApiPropertyOptional({
    enum: ['busy', 'oof', 'tentative', 'free', 'workingElsewhere', 'unknown'],
    nullable: true,
  })
  status?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The mailbox the item comes from.' })
  calendar?: string | null;
  @ApiPropertyOptional({ enum: ['calendar', 'booking'] }) source?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) bookingId?: string | null;
  @ApiPropertyOptional({ enum: ['perDay', 'perWeek', 'minimumGapMinutes'] }) limit?: string;
  @ApiPropertyOptional({ description: 'The limit: bookings per day or week, or minutes of gap.' })
  value?: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: "perDay / perWeek: the host's bookings of the event type already in that day or week.",
  })
  count?: number | null;
  @ApiPropertyOptional({
    type: [TakenRoomDto],
    description: '`room`: each room of the pool and what takes it.',
  })
  rooms?: TakenRoomDto[];
}

export class IgnoredItemDto {
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ enum: ['busy', 'oof', 'tentative', 'free', 'workingElsewhere', 'unknown'] }) status!: string;
  @ApiProperty() calendar!: string;
}

export class HostExplanationDto {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() offered!: boolean;
  @ApiProperty({ example: 'Europe/Paris', description: 'The zone the host’s hours are read in.' })
  hostTimeZone!: string;
  @ApiProperty({
    type: [ExplainReasonDto],
    description: 'Every reason the start is not offered; empty when offered.',
  })
  reasons!: ExplainReasonDto[];
  @ApiProperty({
    type: [IgnoredItemDto],
    description: "Calendar items overlapping the slot that do not block under the host's policy (e.g. free).",
  })
  ignoredItems!: IgnoredItemDto[];
}

export class SlotExplanationDto {
  @ApiProperty({ example: 'UTC' }) timeZone!: string;
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ description: 'Whether any host offers the start.' }) offered!: boolean;
  @ApiProperty({ type: [HostExplanationDto] }) hosts!: HostExplanationDto[];
  @ApiProperty({ type: [HostWarningDto] }) warnings!: HostWarningDto[];
  @ApiPropertyOptional({
    type: BookingRoomDto,
    nullable: true,
    description:
      'Event types with rooms only: the room a booking of this start would take (the first of the pool free for the meeting); null when the start is not offered or no room is free (an optional pool then books without one).',
  })
  room?: BookingRoomDto | null;
}
