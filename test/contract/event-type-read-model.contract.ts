// One contract for the event type read model, run on the in-memory fake (over the in-memory repositories) and
// on the database statement (PGlite, and PostgreSQL when DATABASE_URL is set): what one read gives must be
// what the repositories hold — the event type, its hosts in order, each connected host's Teams capability —
// inside the workspace only.
import type { EventTypeReadModel } from '@application/ports/event-type.read-model.js';
import type { EventTypeRepository } from '@application/ports/event-type.repository.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aConnection, anEventType } from '../builders/availability.builder.js';

export interface EventTypeReadModelPorts {
  readModel: EventTypeReadModel;
  workspaces: WorkspaceRepository;
  members: MemberRepository;
  connections: MicrosoftConnectionRepository;
  eventTypes: EventTypeRepository;
}

export function eventTypeReadModelContract(name: string, make: () => Promise<EventTypeReadModelPorts>): void {
  describe(`${name}: event type read model contract`, () => {
    let p: EventTypeReadModelPorts;
    beforeEach(async () => {
      p = await make();
    });

    async function workspaceWithMembers(count: number) {
      const ws = aWorkspace();
      await p.workspaces.add(ws);
      const members = [];
      for (let i = 0; i < count; i++) {
        const member = aMember({ workspaceId: ws.id });
        await p.members.add(member);
        members.push(member);
      }
      return { ws, members: members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]] };
    }

    it('reads the event type as the repository holds it, hosts in order, Teams capability per connected host', async () => {
      const { ws, members } = await workspaceWithMembers(3);
      const [a, b, c] = members;
      const eventType = anEventType(
        { workspaceId: ws.id, hostIds: [c.id, a.id, b.id] },
        {
          location: { kind: 'phone', value: '+44 20 7946 0000' },
          slotIntervalMinutes: 15,
          questions: [
            { id: 'topics', kind: 'multiple_choice', label: 'Topics', required: true, options: ['A', 'B'] },
          ],
          limits: { perWeek: 4 },
          minimumGapMinutes: 10,
          rooms: { rooms: [{ email: 'room-1@contoso.com', name: 'Harbour' }], required: true },
        },
      );
      await p.eventTypes.add(eventType);
      await p.connections.save(
        aConnection({ workspaceId: ws.id, memberId: a.id, mailbox: 'a@contoso.com', teamsEnabled: true }),
      );
      await p.connections.save(
        aConnection({
          workspaceId: ws.id,
          memberId: c.id,
          mailbox: 'c@contoso.com',
          teamsEnabled: false,
          status: 'revoked',
        }),
      );

      const view = await p.readModel.one(ws.id, eventType.id);

      const stored = await p.eventTypes.findById(ws.id, eventType.id);
      expect(view!.eventType.toSnapshot()).toEqual(stored!.toSnapshot());
      expect(view!.eventType.limits).toEqual({ perWeek: 4, minimumGapMinutes: 10 });
      expect(view!.eventType.rooms?.rooms.map((r) => r.name)).toEqual(['Harbour']);
      expect(view!.eventType.hostIds).toEqual([c.id, a.id, b.id]);
      expect(view!.eventType.questions.map((q) => q.options)).toEqual([['A', 'B']]);
      expect([...view!.teamsEnabled].sort()).toEqual(
        [
          [a.id, true],
          [c.id, false],
        ].sort(),
      );
    });

    it('gives the warnings the repositories give: a Teams event type with a host whose mailbox has no Teams', async () => {
      const { ws, members } = await workspaceWithMembers(3);
      const [a, b] = members;
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [a.id, b.id] });
      await p.eventTypes.add(eventType);
      await p.connections.save(
        aConnection({ workspaceId: ws.id, memberId: b.id, mailbox: 'b@contoso.com', teamsEnabled: false }),
      );

      const view = await p.readModel.one(ws.id, eventType.id);

      expect(view!.eventType.warnings(view!.teamsEnabled)).toEqual([
        { code: 'TEAMS_LICENCE_MISSING', memberId: b.id },
      ]);
    });

    it('finds nothing in another workspace, for an unknown id, or for an id that is not a UUID', async () => {
      const { ws, members } = await workspaceWithMembers(1);
      const other = aWorkspace();
      await p.workspaces.add(other);
      const eventType = anEventType({ workspaceId: ws.id, hostIds: [members[0].id] });
      await p.eventTypes.add(eventType);

      expect(await p.readModel.one(other.id, eventType.id)).toBeNull();
      expect(await p.readModel.one(ws.id, '9d4c1f0e-8d8b-4c61-a1f5-3a0f1f0f0f0f')).toBeNull();
      expect(await p.readModel.one(ws.id, 'not-a-uuid')).toBeNull();
    });
  });
}
