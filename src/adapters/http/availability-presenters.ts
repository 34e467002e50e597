// Availability policies and event types to the JSON of API.md.
import type { AvailabilityPolicy } from '@domain/availability/availability-policy.js';
import type { EventTypeWithWarnings } from '@application/event-type/event-type-warnings.js';
import type { PublicLinks } from '@application/ports/public-links.js';
import type { AvailabilityDto } from './dto/availability.dto.js';
import type { EventTypeDto } from './dto/event-type.dto.js';

export function presentAvailability(policy: AvailabilityPolicy): AvailabilityDto {
  const { workspaceId: _workspaceId, updatedAt, ...settings } = policy.toSnapshot();
  return {
    ...settings,
    isDefault: policy.isDefault,
    updatedAt: policy.isDefault ? null : updatedAt.toISOString(),
  };
}

export function presentEventType(
  { eventType, warnings }: EventTypeWithWarnings,
  links: PublicLinks,
): EventTypeDto {
  const s = eventType.toSnapshot();
  const dto: EventTypeDto = {
    id: s.id,
    slug: s.slug,
    title: s.title,
    durationMinutes: s.durationMinutes,
    slotIntervalMinutes: eventType.slotIntervalMinutes,
    location:
      s.location.value === null
        ? { kind: s.location.kind }
        : { kind: s.location.kind, value: s.location.value },
    hostIds: s.hostIds,
    assignment: s.assignment,
    bookingPage: { enabled: s.bookingPageEnabled },
    questions: s.questions,
    limits: {
      ...(s.limits.perDay !== null && { perDay: s.limits.perDay }),
      ...(s.limits.perWeek !== null && { perWeek: s.limits.perWeek }),
    },
    minimumGapMinutes: s.minimumGapMinutes,
    rooms: s.rooms,
    warnings,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
  if (s.bookingPageEnabled) dto.bookingUrl = links.bookingPage(s.id);
  return dto;
}
