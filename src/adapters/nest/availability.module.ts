// Availability: members' policies, event types, slots and explanations. The repositories come from the
// persistence wiring and FreeBusyGateway (Graph getSchedule behind its cache) and RecordMicrosoftFailure from the global
// MicrosoftModule.
import { Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { SlotsReadModel } from '@application/ports/slots.read-model.js';
import { EventTypeReadModel } from '@application/ports/event-type.read-model.js';
import { GetAvailability } from '@application/availability/get-availability.use-case.js';
import { PutAvailability } from '@application/availability/put-availability.use-case.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { RoomCalendars } from '@application/availability/room-calendars.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { EventTypeWarnings } from '@application/event-type/event-type-warnings.js';
import { CreateEventType } from '@application/event-type/create-event-type.use-case.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { GetEventType } from '@application/event-type/get-event-type.use-case.js';
import { UpdateEventType } from '@application/event-type/update-event-type.use-case.js';
import { DeleteEventType } from '@application/event-type/delete-event-type.use-case.js';
import { AvailabilityController } from '../http/controllers/availability.controller.js';
import { EventTypesController } from '../http/controllers/event-types.controller.js';
import { construct } from './provide.js';

const providers = [
  construct(HostCalendars, [SlotsReadModel, FreeBusyGateway, RecordMicrosoftFailure]),
  construct(EventTypeWarnings, [MicrosoftConnectionRepository]),
  construct(PutAvailability, [MemberRepository, AvailabilityPolicyRepository, Clock]),
  construct(GetAvailability, [
    MemberRepository,
    AvailabilityPolicyRepository,
    MicrosoftConnectionRepository,
    Clock,
  ]),
  construct(CreateEventType, [EventTypeRepository, MemberRepository, EventTypeWarnings, IdGenerator, Clock]),
  construct(ListEventTypes, [EventTypeRepository, EventTypeWarnings]),
  construct(GetEventType, [EventTypeReadModel]),
  construct(UpdateEventType, [EventTypeRepository, MemberRepository, EventTypeWarnings, Clock]),
  construct(DeleteEventType, [EventTypeRepository]),
  construct(RoomCalendars, [FreeBusyGateway]),
  construct(GetSlots, [HostCalendars, Clock, RoomCalendars]),
  construct(ExplainSlot, [HostCalendars, Clock, RoomCalendars]),
];

@Module({
  controllers: [AvailabilityController, EventTypesController],
  providers,
  exports: [HostCalendars, RoomCalendars, GetSlots, ExplainSlot, GetAvailability, ListEventTypes],
})
export class AvailabilityModule {}
