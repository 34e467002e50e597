// The slots read model's one statement passes the contract on PGlite (through the ORM) and, when
// DATABASE_URL is set, on PostgreSQL (a statement prepared on the server, and through the ORM inside a
// transaction).
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmMicrosoftConnectionRepository } from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmAvailabilityPolicyRepository } from '@adapters/persistence/mikro-orm-availability-policy.repository.js';
import { MikroOrmEventTypeRepository } from '@adapters/persistence/mikro-orm-event-type.repository.js';
import { MikroOrmCalendarVersions } from '@adapters/persistence/mikro-orm-calendar-versions.js';
import { MikroOrmCalendarSubscriptionRepository } from '@adapters/persistence/mikro-orm-calendar-subscription.repository.js';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmHoldRepository } from '@adapters/persistence/mikro-orm-hold.repository.js';
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { slotsReadModelContract, type SlotsReadModelPorts } from '../contract/slots-read-model.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { anEventType } from '../builders/availability.builder.js';
import { aBooking } from '../builders/booking.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function ports(): SlotsReadModelPorts {
  const em = db.orm.em;
  return {
    readModel: new MikroOrmSlotsReadModel(em),
    workspaces: new MikroOrmWorkspaceRepository(em),
    members: new MikroOrmMemberRepository(em),
    connections: new MikroOrmMicrosoftConnectionRepository(em),
    policies: new MikroOrmAvailabilityPolicyRepository(em),
    eventTypes: new MikroOrmEventTypeRepository(em),
    versions: new MikroOrmCalendarVersions(em),
    subscriptions: new MikroOrmCalendarSubscriptionRepository(em),
    bookings: new MikroOrmBookingRepository(em),
    holds: new MikroOrmHoldRepository(em),
    uow: new MikroOrmUnitOfWork(em),
  };
}

slotsReadModelContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () =>
  ports(),
);

describe('the slots read model in a transaction', () => {
  it('sees what the transaction wrote and not yet committed (a booking checks its hosts this way)', async () => {
    const p = ports();
    const ws = aWorkspace();
    await p.workspaces.add(ws);
    const member = aMember({ workspaceId: ws.id });
    await p.members.add(member);
    const eventType = anEventType({ workspaceId: ws.id, hostIds: [member.id] }, { limits: { perDay: 3 } });
    await p.eventTypes.add(eventType);
    const booking = aBooking({ workspaceId: ws.id, eventTypeId: eventType.id, hostId: member.id });
    const seen = await new MikroOrmUnitOfWork(db.orm.em).transactional(async () => {
      await p.bookings.add(booking);
      return p.readModel.forHosts({
        workspaceId: ws.id,
        eventTypeId: eventType.id,
        hostIds: [member.id],
        booked: { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') },
        typeBooked: { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') },
        now: new Date('2026-12-01T08:00:00Z'),
      });
    });
    expect(seen[0]!.booked.map((b) => b.bookingId)).toEqual([booking.id]);
    expect(seen[0]!.typeBookings.map((b) => b.bookingId)).toEqual([booking.id]);
  });
});
