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
import { jest } from '@jest/globals';
import { MikroOrmSlotsReadModel } from '@adapters/persistence/mikro-orm-slots.read-model.js';
import {
  MemberAccessUnits,
  MikroOrmMemberAccessReadModel,
} from '@adapters/persistence/mikro-orm-member-access.read-model.js';
import { MikroOrmTenantConsentRepository } from '@adapters/persistence/mikro-orm-tenant-consent.repository.js';
import { ServerStatements, type ServerStatement } from '@adapters/persistence/server-statements.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { slotsReadModelContract, type SlotsReadModelPorts } from '../contract/slots-read-model.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aConnection, anEventType } from '../builders/availability.builder.js';
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

describe('the hosts’ Microsoft access a fresh slots read brings to its unit of work', () => {
  const window = {
    booked: { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') },
    typeBooked: { start: Date.parse('2026-12-03T00:00:00Z'), end: Date.parse('2026-12-04T00:00:00Z') },
    now: new Date('2026-12-01T08:00:00Z'),
  };

  /** A slots read model and a member access read model sharing their units, and a spy on the access statement. */
  async function setUp() {
    const p = ports();
    const units = new MemberAccessUnits();
    const em = db.orm.em;
    const slots = new MikroOrmSlotsReadModel(em, null, units);
    const access = new MikroOrmMemberAccessReadModel(em, units);
    const ws = aWorkspace();
    await p.workspaces.add(ws);
    const hosts = [aMember({ workspaceId: ws.id }), aMember({ workspaceId: ws.id })];
    for (const member of hosts) await p.members.add(member);
    const connection = aConnection({
      workspaceId: ws.id,
      memberId: hosts[0]!.id,
      mailbox: 'megan@contoso.com',
    });
    await p.connections.save(connection);
    const consent = TenantConsent.none(ws.id, window.now);
    consent.grantedByAdmin({
      tenantId: '11111111-2222-3333-4444-555555555555',
      scopes: ['Calendars.ReadWrite', 'User.Read'],
      grantedBy: 'admin@contoso.com',
      now: window.now,
    });
    const consents = new MikroOrmTenantConsentRepository(em);
    await consents.save(ws.id, consent);
    const eventType = anEventType({ workspaceId: ws.id, hostIds: hosts.map((m) => m.id) });
    await p.eventTypes.add(eventType);
    const reads = jest.spyOn(ServerStatements.prototype, 'rows');
    const accessReads = () =>
      reads.mock.calls.filter(([s]) => (s as ServerStatement).name === 'kailenty_member_access').length;
    return { p, ws, hosts, connection, consent, consents, eventType, slots, access, reads, accessReads };
  }

  afterEach(() => jest.restoreAllMocks());

  it('answers the unit’s access reads of its hosts as the access statement would, without sending it', async () => {
    const { ws, hosts, eventType, slots, access, reads, accessReads } = await setUp();
    const fresh = await Promise.all(hosts.map((m) => access.forMember(ws.id, m.id)));
    reads.mockClear();
    const [byEventType, byHosts] = await access.oncePerUnit(async () => {
      await slots.forEventType({ ...window, workspaceId: ws.id, eventTypeId: eventType.id });
      const first = await Promise.all(hosts.map((m) => access.forMember(ws.id, m.id)));
      return [
        first,
        await access.oncePerUnit(async () => {
          await slots.forHosts({
            ...window,
            workspaceId: ws.id,
            eventTypeId: eventType.id,
            hostIds: hosts.map((m) => m.id),
          });
          return Promise.all(hosts.map((m) => access.forMember(ws.id, m.id)));
        }),
      ];
    });
    expect(accessReads()).toBe(0);
    const seen = (list: typeof fresh) =>
      list.map(
        (a) => a && { connection: a.connection.toSnapshot(), consent: a.consent?.toSnapshot() ?? null },
      );
    expect(fresh[0]).not.toBeNull();
    expect(fresh[1]).toBeNull();
    expect(seen(byEventType)).toEqual(seen(fresh));
    expect(seen(byHosts)).toEqual(seen(fresh));
  });

  it('keeps the unit’s first answer, and offers nothing outside a unit or from a read the cache may answer', async () => {
    const { ws, hosts, consent, consents, eventType, slots, access, accessReads } = await setUp();
    const host = hosts[0]!.id;
    const read = { ...window, workspaceId: ws.id, eventTypeId: eventType.id };
    await slots.forEventType(read);
    expect((await access.forMember(ws.id, host))?.consent?.isRevoked).toBe(false);
    expect(accessReads()).toBe(1);

    const revokedMeanwhile = await access.oncePerUnit(async () => {
      const first = (await access.forMember(ws.id, host))?.consent?.isRevoked;
      consent.revoke('the administrator removed the app', new Date(window.now.getTime() + 60_000));
      await consents.save(ws.id, consent);
      // The unit read the member first: a later slots read does not replace that answer.
      await slots.forEventType(read);
      return [first, (await access.forMember(ws.id, host))?.consent?.isRevoked];
    });
    expect(revokedMeanwhile).toEqual([false, false]);
    expect(accessReads()).toBe(2);

    const cacheable = await access.oncePerUnit(async () => {
      await slots.forEventType({ ...read, cacheable: true });
      return (await access.forMember(ws.id, host))?.consent?.isRevoked;
    });
    expect(cacheable).toBe(true);
    expect(accessReads()).toBe(3);
  });
});
