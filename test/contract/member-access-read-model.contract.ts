// One contract for the member access read model, run on the in-memory fake (over the in-memory repositories)
// and on the database statement (PGlite, and PostgreSQL when DATABASE_URL is set): what one read gives must be
// what the connection and consent repositories hold, inside the workspace only, and current on every read.
import type { MemberAccessReadModel } from '@application/ports/member-access.read-model.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';
import { aConnection } from '../builders/availability.builder.js';

export interface MemberAccessReadModelPorts {
  readModel: MemberAccessReadModel;
  workspaces: WorkspaceRepository;
  members: MemberRepository;
  connections: MicrosoftConnectionRepository;
  consents: TenantConsentRepository;
}

const NOW = new Date('2026-11-30T08:00:00Z');

export function memberAccessReadModelContract(
  name: string,
  make: () => Promise<MemberAccessReadModelPorts>,
): void {
  describe(`${name}: member access read model contract`, () => {
    let p: MemberAccessReadModelPorts;
    beforeEach(async () => {
      p = await make();
    });

    async function connectedMember() {
      const ws = aWorkspace();
      await p.workspaces.add(ws);
      const member = aMember({ workspaceId: ws.id });
      await p.members.add(member);
      const connection = aConnection({
        workspaceId: ws.id,
        memberId: member.id,
        mailbox: 'megan@contoso.com',
        timeZone: 'Europe/Berlin',
        teamsEnabled: true,
      });
      await p.connections.save(connection);
      return { ws, member, connection };
    }

    it('reads the connection as the repository holds it, with no consent record yet', async () => {
      const { ws, member, connection } = await connectedMember();
      const access = await p.readModel.forMember(ws.id, member.id);
      expect(access?.connection.toSnapshot()).toEqual(connection.toSnapshot());
      expect(access?.consent).toBeNull();
    });

    it('reads the workspace consent as the repository holds it, and its revocation at the next read', async () => {
      const { ws, member } = await connectedMember();
      const consent = TenantConsent.none(ws.id, NOW);
      consent.grantedByAdmin({
        tenantId: '11111111-2222-3333-4444-555555555555',
        scopes: ['Calendars.ReadWrite', 'User.Read'],
        grantedBy: 'admin@contoso.com',
        now: NOW,
      });
      await p.consents.save(ws.id, consent);
      const granted = await p.readModel.forMember(ws.id, member.id);
      expect(granted?.consent?.toSnapshot()).toEqual((await p.consents.find(ws.id))!.toSnapshot());
      expect(granted?.consent?.isRevoked).toBe(false);

      consent.revoke('the administrator removed the app', new Date(NOW.getTime() + 60_000));
      await p.consents.save(ws.id, consent);
      expect((await p.readModel.forMember(ws.id, member.id))?.consent?.isRevoked).toBe(true);
    });

    it('sees a connection marked revoked at the next read', async () => {
      const { ws, member, connection } = await connectedMember();
      connection.markFailed('revoked', 'token refused', new Date(NOW.getTime() + 60_000));
      await p.connections.save(connection);
      expect((await p.readModel.forMember(ws.id, member.id))?.connection.isUsable).toBe(false);
    });

    it('finds nothing for a member without a connection, in another workspace, or with a malformed id', async () => {
      const { ws, member } = await connectedMember();
      const other = aWorkspace();
      await p.workspaces.add(other);
      const unconnected = aMember({ workspaceId: ws.id });
      await p.members.add(unconnected);
      expect(await p.readModel.forMember(ws.id, unconnected.id)).toBeNull();
      expect(await p.readModel.forMember(other.id, member.id)).toBeNull();
      expect(await p.readModel.forMember(ws.id, 'not-a-uuid')).toBeNull();
    });
  });
}
