// One contract for the availability ports (policies, event types), run against the in-memory fakes and the
// MikroORM adapters alike, so a fake can never drift from the real thing.
import { randomUUID } from 'node:crypto';
import { DomainError } from '@domain/shared/domain-error.js';
import type { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import type { EventTypeRepository } from '@application/ports/event-type.repository.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aPolicy, anEventType } from '../builders/availability.builder.js';

export interface AvailabilityPorts {
  workspaces: WorkspaceRepository;
  members: MemberRepository;
  policies: AvailabilityPolicyRepository;
  eventTypes: EventTypeRepository;
}

export function availabilityRepositoryContract(name: string, make: () => Promise<AvailabilityPorts>): void {
  describe(`${name}: availability repository contract`, () => {
    let ports: AvailabilityPorts;
    beforeEach(async () => {
      ports = await make();
    });

    async function workspaceWithMembers(count: number) {
      const ws = aWorkspace();
      await ports.workspaces.add(ws);
      const members = [];
      for (let i = 0; i < count; i++) {
        const member = aMember({ workspaceId: ws.id });
        await ports.members.add(member);
        members.push(member);
      }
      return { ws, members };
    }

    const expectSlugClash = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'slug' }] });
    };

    describe('availability policies', () => {
      it('stores a policy and reads it back exactly, only within its workspace', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const other = await workspaceWithMembers(0);
        const policy = aPolicy(
          { workspaceId: ws.id, memberId: members[0].id },
          {
            overrides: [{ date: '2026-12-24', intervals: [] }],
            maxDaysAhead: 30,
            busyStatuses: ['busy', 'oof'],
            extraCalendars: ['room-1@contoso.com'],
            bufferBeforeMinutes: 10,
          },
        );
        await ports.policies.save(policy);
        const found = await ports.policies.find(ws.id, members[0].id);
        expect(found?.toSnapshot()).toEqual(policy.toSnapshot());
        expect(found?.isDefault).toBe(false);
        expect(await ports.policies.find(other.ws.id, members[0].id)).toBeNull();
        expect(await ports.policies.findByMembers(other.ws.id, [members[0].id])).toEqual([]);
        expect(await ports.policies.find(ws.id, randomUUID())).toBeNull();
        expect(await ports.policies.find(ws.id, 'not-a-uuid')).toBeNull();
      });

      it('replaces the policy on a second save', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const memberId = members[0].id;
        await ports.policies.save(aPolicy({ workspaceId: ws.id, memberId }, { bufferAfterMinutes: 5 }));
        const second = aPolicy(
          { workspaceId: ws.id, memberId, now: new Date('2026-12-02T00:00:00Z') },
          {
            timeZone: 'America/New_York',
            weekly: [{ day: 'sat', intervals: [{ start: '10:00', end: '24:00' }] }],
          },
        );
        await ports.policies.save(second);
        expect((await ports.policies.find(ws.id, memberId))?.toSnapshot()).toEqual(second.toSnapshot());
      });

      it('finds the policies of several members, skipping members without one', async () => {
        const { ws, members } = await workspaceWithMembers(3);
        await ports.policies.save(aPolicy({ workspaceId: ws.id, memberId: members[0].id }));
        await ports.policies.save(aPolicy({ workspaceId: ws.id, memberId: members[2].id }));
        const found = await ports.policies.findByMembers(ws.id, [
          members[0].id,
          members[1].id,
          members[2].id,
          'not-a-uuid',
        ]);
        expect(found.map((p) => p.memberId).sort()).toEqual([members[0].id, members[2].id].sort());
        expect(await ports.policies.findByMembers(ws.id, [])).toEqual([]);
      });
    });

    describe('event types', () => {
      it('stores an event type with its hosts in order and reads it back, only within its workspace', async () => {
        const { ws, members } = await workspaceWithMembers(3);
        const other = await workspaceWithMembers(0);
        const hostIds = [members[2].id, members[0].id, members[1].id];
        const eventType = anEventType(
          { workspaceId: ws.id, hostIds },
          { location: { kind: 'in_person', value: '1 Main St' }, slotIntervalMinutes: 15 },
        );
        await ports.eventTypes.add(eventType);
        const found = await ports.eventTypes.findById(ws.id, eventType.id);
        expect(found?.toSnapshot()).toEqual(eventType.toSnapshot());
        expect(found?.hostIds).toEqual(hostIds);
        expect(await ports.eventTypes.findById(other.ws.id, eventType.id)).toBeNull();
        expect(await ports.eventTypes.findById(ws.id, 'not-a-uuid')).toBeNull();
        expect((await ports.eventTypes.list(other.ws.id, { limit: 10 })).data).toEqual([]);
      });

      it('finds a bookable event type by id alone, whatever its workspace, only while its booking page is on', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] });
        await ports.eventTypes.add(eventType);
        expect(await ports.eventTypes.findBookable(eventType.id)).toBeNull();
        eventType.change({ bookingPage: { enabled: true } }, new Date('2026-12-02T08:00:00Z'));
        await ports.eventTypes.save(eventType);
        expect((await ports.eventTypes.findBookable(eventType.id))?.toSnapshot()).toEqual(
          eventType.toSnapshot(),
        );
        expect((await ports.eventTypes.findById(ws.id, eventType.id))?.bookingPageEnabled).toBe(true);
        expect(await ports.eventTypes.findBookable(randomUUID())).toBeNull();
        expect(await ports.eventTypes.findBookable('not-a-uuid')).toBeNull();
      });

      it('keeps an event type’s questions in order, and their replacement on save', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const questions = [
          { id: 'company', kind: 'text', label: 'Company "HQ" \\ ü', required: true },
          {
            id: 'size',
            kind: 'single_choice',
            label: 'Team size',
            required: false,
            options: ['1-10', '11+'],
          },
        ];
        const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] }, { questions });
        await ports.eventTypes.add(eventType);
        const found = await ports.eventTypes.findById(ws.id, eventType.id);
        expect(found?.toSnapshot()).toEqual(eventType.toSnapshot());
        expect(found?.questions.map((q) => q.id)).toEqual(['company', 'size']);
        expect(found?.questions[1]?.options).toEqual(['1-10', '11+']);

        found!.change({ questions: [questions[1]!] }, new Date('2026-12-03T00:00:00Z'));
        await ports.eventTypes.save(found!);
        const saved = await ports.eventTypes.findById(ws.id, eventType.id);
        expect(saved?.toSnapshot()).toEqual(found!.toSnapshot());
        expect(saved?.questions.map((q) => q.id)).toEqual(['size']);
        expect((await ports.eventTypes.list(ws.id, { limit: 10 })).data[0]?.questions).toEqual(
          saved?.questions,
        );
      });

      it('refuses a second event type with the same slug in a workspace, but allows it in another', async () => {
        const a = await workspaceWithMembers(1);
        const b = await workspaceWithMembers(1);
        await ports.eventTypes.add(
          anEventType({ workspaceId: a.ws.id, hostIds: [a.members[0].id] }, { slug: 'intro' }),
        );
        await expectSlugClash(
          ports.eventTypes.add(
            anEventType({ workspaceId: a.ws.id, hostIds: [a.members[0].id] }, { slug: 'intro' }),
          ),
        );
        await ports.eventTypes.add(
          anEventType({ workspaceId: b.ws.id, hostIds: [b.members[0].id] }, { slug: 'intro' }),
        );
        expect((await ports.eventTypes.list(a.ws.id, { limit: 10 })).data).toHaveLength(1);
      });

      it('saves changes, hosts included, and refuses a slug another event type has', async () => {
        const { ws, members } = await workspaceWithMembers(3);
        const taken = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] }, { slug: 'taken' });
        await ports.eventTypes.add(taken);
        const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0].id, members[1].id] });
        await ports.eventTypes.add(eventType);

        eventType.change(
          {
            title: 'Renamed',
            hostIds: [members[2].id, members[0].id],
            durationMinutes: 45,
            limits: { perDay: 3, perWeek: 12 },
            minimumGapMinutes: 20,
            rooms: {
              rooms: [{ email: 'Room-2@contoso.com', name: 'Harbour' }, { email: 'room-1@contoso.com' }],
              required: true,
            },
          },
          new Date('2026-12-03T00:00:00Z'),
        );
        await ports.eventTypes.save(eventType);
        const found = await ports.eventTypes.findById(ws.id, eventType.id);
        expect(found?.toSnapshot()).toEqual(eventType.toSnapshot());
        expect(found?.limits).toEqual({ perDay: 3, perWeek: 12, minimumGapMinutes: 20 });
        expect(found?.rooms).toEqual({
          rooms: [
            { email: 'room-2@contoso.com', name: 'Harbour' },
            { email: 'room-1@contoso.com', name: 'room-1@contoso.com' },
          ],
          required: true,
        });

        found!.change({ slug: 'taken' }, new Date('2026-12-04T00:00:00Z'));
        await expectSlugClash(ports.eventTypes.save(found!));
        expect((await ports.eventTypes.findById(ws.id, eventType.id))?.toSnapshot()).toEqual(
          eventType.toSnapshot(),
        );
      });

      it('pages event types oldest first without skipping or repeating', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const e = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] });
          await ports.eventTypes.add(e);
          ids.push(e.id);
        }
        const first = await ports.eventTypes.list(ws.id, { limit: 2 });
        const second = await ports.eventTypes.list(ws.id, { limit: 2, cursor: first.nextCursor! });
        const third = await ports.eventTypes.list(ws.id, { limit: 2, cursor: second.nextCursor! });
        expect([...first.data, ...second.data, ...third.data].map((e) => e.id)).toEqual(ids);
        expect(third.nextCursor).toBeNull();
        expect(third.data[0].hostIds).toEqual([members[0].id]);
      });

      it('deletes an event type only within its workspace', async () => {
        const { ws, members } = await workspaceWithMembers(1);
        const other = await workspaceWithMembers(0);
        const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] });
        await ports.eventTypes.add(eventType);
        expect(await ports.eventTypes.delete(other.ws.id, eventType.id)).toBe(false);
        expect(await ports.eventTypes.delete(ws.id, eventType.id)).toBe(true);
        expect(await ports.eventTypes.findById(ws.id, eventType.id)).toBeNull();
        expect(await ports.eventTypes.delete(ws.id, eventType.id)).toBe(false);
        expect(await ports.eventTypes.delete(ws.id, 'not-a-uuid')).toBe(false);
        // The slug is free again.
        await ports.eventTypes.add(
          anEventType({ workspaceId: ws.id, hostIds: [members[0].id] }, { slug: eventType.slug }),
        );
      });
    });
  });
}
