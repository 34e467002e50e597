// One contract for the member access read model, run on the in-memory fake (over the in-memory repositories)
// and on the database statement (PGlite, and PostgreSQL when DATABASE_URL is set): what one read gives must be
// what the connection and consent repositories hold, inside the workspace only, and current on every read outside
// a unit of work; within one, current as the unit started, each member read once.
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

    /** The workspace's consent, granted; `revoke()` revokes it as another unit of work would. */
    async function grantedConsent(workspaceId: string) {
      const consent = TenantConsent.none(workspaceId, NOW);
      consent.grantedByAdmin({
        tenantId: '11111111-2222-3333-4444-555555555555',
        scopes: ['Calendars.ReadWrite', 'User.Read'],
        grantedBy: 'admin@contoso.com',
        now: NOW,
      });
      await p.consents.save(workspaceId, consent);
      return {
        revoke: async () => {
          consent.revoke('the administrator removed the app', new Date(NOW.getTime() + 60_000));
          await p.consents.save(workspaceId, consent);
        },
      };
    }

    it('within a unit of work reads each member once: a revocation committed meanwhile is the next unit’s to see', async () => {
      const { ws, member, connection } = await connectedMember();
      const other = aMember({ workspaceId: ws.id });
      await p.members.add(other);
      await p.connections.save(
        aConnection({ workspaceId: ws.id, memberId: other.id, mailbox: 'alex@contoso.com' }),
      );
      const consent = await grantedConsent(ws.id);
      const read = async (memberId = member.id) => {
        const access = await p.readModel.forMember(ws.id, memberId);
        return { usable: access?.connection.isUsable, revoked: access?.consent?.isRevoked };
      };

      const seen = await p.readModel.oncePerUnit(async () => {
        const first = await read();
        connection.markFailed('revoked', 'token refused', new Date(NOW.getTime() + 60_000));
        await p.connections.save(connection);
        await consent.revoke();
        // Another member's first read in the unit is made now.
        expect(await read(other.id)).toEqual({ usable: true, revoked: true });
        return [first, await read()];
      });
      expect(seen).toEqual([
        { usable: true, revoked: false },
        { usable: true, revoked: false },
      ]);
      expect(await read()).toEqual({ usable: false, revoked: true });
      expect(await p.readModel.oncePerUnit(() => read())).toEqual({ usable: false, revoked: true });
    });

    it('units of work at once keep their own reads, a read outside any sees the store; one started inside another is its own; readAgain reads anew', async () => {
      const { ws, member } = await connectedMember();
      const consent = await grantedConsent(ws.id);
      const revoked = async () => (await p.readModel.forMember(ws.id, member.id))?.consent?.isRevoked;
      let readNow!: () => void;
      const firstRead = new Promise<void>((resolve) => (readNow = resolve));
      let revokedNow!: () => void;
      const revocation = new Promise<void>((resolve) => (revokedNow = resolve));

      const [early, late] = await Promise.all([
        p.readModel.oncePerUnit(async () => {
          const before = await revoked();
          readNow();
          await revocation;
          const inner = await p.readModel.oncePerUnit(() => revoked());
          const kept = await revoked();
          p.readModel.readAgain(ws.id, member.id);
          return [before, inner, kept, await revoked()];
        }),
        (async () => {
          // Outside the early unit: revokes once it has read, then reads, alone and in a unit of its own.
          await firstRead;
          await consent.revoke();
          const outside = await revoked();
          const unit = await p.readModel.oncePerUnit(() => revoked());
          revokedNow();
          return [outside, unit];
        })(),
      ]);
      expect(early).toEqual([false, true, false, true]);
      expect(late).toEqual([true, true]);
      // Outside any unit readAgain is harmless (the token provider asks it on every forced refresh).
      p.readModel.readAgain(ws.id, member.id);
      expect(await revoked()).toBe(true);
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
