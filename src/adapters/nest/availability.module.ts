// Availability: members' policies, event types, slots and explanations, with their repositories.
// MicrosoftConnectionRepository comes from the persistence wiring and FreeBusyGateway (Graph getSchedule
// behind its cache) from the global MicrosoftModule.
import { Module, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { BookedTimeReader } from '@application/ports/booked-time.reader.js';
import { GetAvailability } from '@application/availability/get-availability.use-case.js';
import { PutAvailability } from '@application/availability/put-availability.use-case.js';
import { HostCalendars } from '@application/availability/host-calendars.js';
import { GetSlots } from '@application/availability/get-slots.use-case.js';
import { ExplainSlot } from '@application/availability/explain-slot.use-case.js';
import { EventTypeWarnings } from '@application/event-type/event-type-warnings.js';
import { CreateEventType } from '@application/event-type/create-event-type.use-case.js';
import { ListEventTypes } from '@application/event-type/list-event-types.use-case.js';
import { GetEventType } from '@application/event-type/get-event-type.use-case.js';
import { UpdateEventType } from '@application/event-type/update-event-type.use-case.js';
import { DeleteEventType } from '@application/event-type/delete-event-type.use-case.js';
import { MikroOrmAvailabilityPolicyRepository } from '../persistence/mikro-orm-availability-policy.repository.js';
import { MikroOrmEventTypeRepository } from '../persistence/mikro-orm-event-type.repository.js';
import { MikroOrmBookedTimeReader } from '../persistence/mikro-orm-booking.repository.js';
import { AvailabilityController } from '../http/controllers/availability.controller.js';
import { EventTypesController } from '../http/controllers/event-types.controller.js';

const providers: Provider[] = [
  {
    provide: AvailabilityPolicyRepository,
    useFactory: (em: EntityManager) => new MikroOrmAvailabilityPolicyRepository(em),
    inject: [EntityManager],
  },
  {
    provide: EventTypeRepository,
    useFactory: (em: EntityManager) => new MikroOrmEventTypeRepository(em),
    inject: [EntityManager],
  },
  {
    provide: BookedTimeReader,
    useFactory: (em: EntityManager) => new MikroOrmBookedTimeReader(em),
    inject: [EntityManager],
  },
  {
    provide: HostCalendars,
    useFactory: (
      m: MemberRepository,
      c: MicrosoftConnectionRepository,
      p: AvailabilityPolicyRepository,
      b: BookedTimeReader,
      f: FreeBusyGateway,
    ) => new HostCalendars(m, c, p, f, b),
    inject: [
      MemberRepository,
      MicrosoftConnectionRepository,
      AvailabilityPolicyRepository,
      BookedTimeReader,
      FreeBusyGateway,
    ],
  },
  {
    provide: EventTypeWarnings,
    useFactory: (c: MicrosoftConnectionRepository) => new EventTypeWarnings(c),
    inject: [MicrosoftConnectionRepository],
  },
  {
    provide: PutAvailability,
    useFactory: (m: MemberRepository, p: AvailabilityPolicyRepository, k: Clock) =>
      new PutAvailability(m, p, k),
    inject: [MemberRepository, AvailabilityPolicyRepository, Clock],
  },
  {
    provide: GetAvailability,
    useFactory: (
      m: MemberRepository,
      p: AvailabilityPolicyRepository,
      c: MicrosoftConnectionRepository,
      k: Clock,
    ) => new GetAvailability(m, p, c, k),
    inject: [MemberRepository, AvailabilityPolicyRepository, MicrosoftConnectionRepository, Clock],
  },
  {
    provide: CreateEventType,
    useFactory: (
      e: EventTypeRepository,
      m: MemberRepository,
      w: EventTypeWarnings,
      i: IdGenerator,
      k: Clock,
    ) => new CreateEventType(e, m, w, i, k),
    inject: [EventTypeRepository, MemberRepository, EventTypeWarnings, IdGenerator, Clock],
  },
  {
    provide: ListEventTypes,
    useFactory: (e: EventTypeRepository, w: EventTypeWarnings) => new ListEventTypes(e, w),
    inject: [EventTypeRepository, EventTypeWarnings],
  },
  {
    provide: GetEventType,
    useFactory: (e: EventTypeRepository, w: EventTypeWarnings) => new GetEventType(e, w),
    inject: [EventTypeRepository, EventTypeWarnings],
  },
  {
    provide: UpdateEventType,
    useFactory: (e: EventTypeRepository, m: MemberRepository, w: EventTypeWarnings, k: Clock) =>
      new UpdateEventType(e, m, w, k),
    inject: [EventTypeRepository, MemberRepository, EventTypeWarnings, Clock],
  },
  {
    provide: DeleteEventType,
    useFactory: (e: EventTypeRepository) => new DeleteEventType(e),
    inject: [EventTypeRepository],
  },
  {
    provide: GetSlots,
    useFactory: (e: EventTypeRepository, h: HostCalendars, k: Clock) => new GetSlots(e, h, k),
    inject: [EventTypeRepository, HostCalendars, Clock],
  },
  {
    provide: ExplainSlot,
    useFactory: (e: EventTypeRepository, h: HostCalendars, k: Clock) => new ExplainSlot(e, h, k),
    inject: [EventTypeRepository, HostCalendars, Clock],
  },
];

@Module({
  controllers: [AvailabilityController, EventTypesController],
  providers,
  exports: [AvailabilityPolicyRepository, EventTypeRepository, HostCalendars, GetSlots],
})
export class AvailabilityModule {}
