// The one place a booking's facts become webhook events: the booking as API.md shows it (as it stands
// when the fact is committed), plus what the fact adds (`change`, Outlook's times), numbered by `sequence`.
import { formatInZone } from '@domain/availability/offset-time.js';
import type { Booking, BookingFact } from '@domain/booking/booking.js';
import type { DomainEvent } from '../ports/domain-event.outbox.js';
import { BookingResources } from './booking-resource.js';

export function bookingEvent(fact: BookingFact, booking: Booking, resources: BookingResources): DomainEvent {
  const resource = resources.of(booking);
  let data: unknown = resource;
  if (fact.type === 'booking.calendar_changed') {
    data =
      fact.change === 'moved' && fact.outlook
        ? {
            ...resource,
            change: fact.change,
            // A move onto another booking: the booking kept its time (warning CALENDAR_MOVE_CONFLICT).
            outlook: {
              start: formatInZone(fact.outlook.start.getTime(), 'UTC'),
              end: formatInZone(fact.outlook.end.getTime(), 'UTC'),
            },
          }
        : { ...resource, change: fact.change };
  }
  return {
    workspaceId: booking.workspaceId,
    type: fact.type,
    data,
    occurredAt: fact.occurredAt,
    booking: { id: booking.id, sequence: fact.sequence },
  };
}
