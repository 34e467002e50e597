// One contract for the sign-in ports (connections, tenant consent, OAuth states, calendar versions) and the
// token vault, run on the in-memory fakes and on the PostgreSQL adapters.
import { randomUUID } from 'node:crypto';
import type { Weekday } from '@domain/availability/slot-engine.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { AuthorizationState } from '@domain/connection/authorization-state.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import type { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import type { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import type { CalendarVersions } from '@application/ports/calendar-versions.js';
import type { TokenVault } from '@adapters/microsoft/entra/token-vault.js';

export interface MicrosoftPorts {
  connections: MicrosoftConnectionRepository;
  consents: TenantConsentRepository;
  states: AuthorizationStateRepository;
  versions: CalendarVersions;
  vault: TokenVault;
  /** A workspace and members that exist (the database adapters have foreign keys). */
  given(memberCount: number): Promise<{ workspaceId: string; memberIds: string[] }>;
}

const now = new Date('2026-12-01T08:00:00Z');

function connection(workspaceId: string, memberId: string, tenantId = 'tenant-a') {
  return MicrosoftConnection.connect({
    workspaceId,
    memberId,
    account: {
      userId: randomUUID(),
      tenantId,
      homeAccountId: `${randomUUID()}.${tenantId}`,
      mailbox: `${memberId.slice(0, 8)}@contoso.com`,
      timeZone: 'Europe/Paris',
      teamsEnabled: true,
    },
    now,
  });
}

export function microsoftRepositoryContract(name: string, make: () => Promise<MicrosoftPorts>): void {
  describe(`${name}: Microsoft sign-in repositories contract`, () => {
    let p: MicrosoftPorts;
    beforeEach(async () => {
      p = await make();
    });

    it('saves (inserts or replaces) and finds connections per workspace, and deletes them', async () => {
      const { workspaceId, memberIds } = await p.given(2);
      const other = await p.given(1);
      const c = connection(workspaceId, memberIds[0]!);
      await p.connections.save(c);
      expect((await p.connections.findByMember(workspaceId, memberIds[0]!))?.toSnapshot()).toEqual(
        c.toSnapshot(),
      );
      expect(await p.connections.findByMember(other.workspaceId, memberIds[0]!)).toBeNull();
      c.markFailed('revoked', 'AADSTS70008', new Date('2026-12-02T00:00:00Z'));
      await p.connections.save(c);
      expect((await p.connections.findByMember(workspaceId, memberIds[0]!))?.status).toBe('revoked');
      await p.connections.save(connection(workspaceId, memberIds[1]!));
      expect((await p.connections.listByWorkspace(workspaceId)).map((x) => x.memberId).sort()).toEqual(
        [...memberIds].sort(),
      );
      expect(await p.connections.findByMembers(workspaceId, [memberIds[1]!, 'nope'])).toHaveLength(1);
      await p.connections.delete(other.workspaceId, memberIds[0]!);
      expect(await p.connections.findByMember(workspaceId, memberIds[0]!)).not.toBeNull();
      await p.connections.delete(workspaceId, memberIds[0]!);
      expect(await p.connections.findByMember(workspaceId, memberIds[0]!)).toBeNull();
    });

    it('keeps the mailbox zone as Microsoft named it beside the IANA one, on every read', async () => {
      const { workspaceId, memberIds } = await p.given(2);
      const [custom, mapped] = memberIds as [string, string];
      const unmapped = MicrosoftConnection.connect({
        workspaceId,
        memberId: custom,
        account: {
          ...connection(workspaceId, custom).toSnapshot(),
          timeZone: null,
          windowsTimeZone: 'Customized Time Zone',
        },
        now,
      });
      await p.connections.save(unmapped);
      await p.connections.save(connection(workspaceId, mapped));
      const reads = [
        await p.connections.findByMember(workspaceId, custom),
        (await p.connections.findByMembers(workspaceId, [custom]))[0],
        (await p.connections.listByWorkspace(workspaceId)).find((c) => c.memberId === custom),
      ];
      for (const read of reads) {
        expect(read?.toSnapshot()).toEqual(unmapped.toSnapshot());
        expect(read?.timeZoneUnmapped).toBe(true);
      }
      const other = await p.connections.findByMember(workspaceId, mapped);
      expect([other?.toSnapshot().windowsTimeZone, other?.timeZoneUnmapped]).toEqual([null, false]);
    });

    it("keeps the mailbox's Outlook working hours, on every read, and updates them at a new sign-in", async () => {
      const { workspaceId, memberIds } = await p.given(1);
      const memberId = memberIds[0]!;
      const hours = {
        days: ['mon', 'wed'] as Weekday[],
        start: '08:30',
        end: '16:00',
        timeZone: 'Asia/Tokyo',
      };
      const c = MicrosoftConnection.connect({
        workspaceId,
        memberId,
        account: { ...connection(workspaceId, memberId).toSnapshot(), workingHours: hours },
        now,
      });
      await p.connections.save(c);
      const reads = async () => [
        await p.connections.findByMember(workspaceId, memberId),
        (await p.connections.findByMembers(workspaceId, [memberId]))[0],
        (await p.connections.listByWorkspace(workspaceId))[0],
      ];
      for (const read of await reads()) expect(read?.workingHours).toEqual(hours);
      c.signedInAgain({ ...c.toSnapshot(), workingHours: null }, now);
      await p.connections.save(c);
      for (const read of await reads()) expect(read?.workingHours).toBeNull();
    });

    it('keeps the tenant consent of a workspace', async () => {
      const { workspaceId } = await p.given(0);
      expect(await p.consents.find(workspaceId)).toBeNull();
      const consent = TenantConsent.none(workspaceId, now);
      consent.grantedByAdmin({
        tenantId: 't1',
        scopes: ['Calendars.ReadWrite', 'User.Read'],
        grantedBy: 'admin',
        now,
      });
      await p.consents.save(workspaceId, consent);
      expect((await p.consents.find(workspaceId))?.toSnapshot()).toEqual(consent.toSnapshot());
      consent.revoke('AADSTS700016', now);
      await p.consents.save(workspaceId, consent);
      expect((await p.consents.find(workspaceId))?.status).toBe('revoked');
    });

    it('consumes an OAuth state exactly once, even when two callbacks race', async () => {
      const { workspaceId, memberIds } = await p.given(1);
      const state = AuthorizationState.issue({
        id: randomUUID(),
        purpose: 'member_connection',
        workspaceId,
        memberId: memberIds[0]!,
        returnUrl: 'https://app.test/r',
        codeVerifier: 'v',
        nonce: 'n',
        now,
      });
      await p.states.add(state);
      const [a, b] = await Promise.all([p.states.consume(state.id, now), p.states.consume(state.id, now)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect((a ?? b)!.toSnapshot()).toMatchObject({
        id: state.id,
        codeVerifier: 'v',
        nonce: 'n',
        memberId: memberIds[0],
      });
      expect(await p.states.consume(state.id, now)).toBeNull();
      expect(await p.states.consume('unknown', now)).toBeNull();
    });

    it('keeps a state without a return URL (the flow ends on kailenty’s page) as null', async () => {
      const { workspaceId } = await p.given(1);
      const state = AuthorizationState.issue({
        id: randomUUID(),
        purpose: 'admin_consent',
        workspaceId,
        memberId: null,
        returnUrl: null,
        codeVerifier: null,
        nonce: null,
        now,
      });
      await p.states.add(state);
      expect((await p.states.consume(state.id, now))!.toSnapshot().returnUrl).toBeNull();
    });

    it('deletes the OAuth states that can no longer be used (expired or consumed), and only those', async () => {
      const { workspaceId, memberIds } = await p.given(1);
      const at = new Date('2031-06-01T08:00:00Z');
      const issue = (purpose: 'member_connection' | 'admin_consent', issuedAt: Date) =>
        AuthorizationState.issue({
          id: randomUUID(),
          purpose,
          workspaceId,
          memberId: purpose === 'member_connection' ? memberIds[0]! : null,
          returnUrl: 'https://app.test/r',
          codeVerifier: purpose === 'member_connection' ? 'verifier' : null,
          nonce: 'n',
          now: issuedAt,
        });
      const expired = issue('member_connection', new Date(at.getTime() - 11 * 60_000));
      const consumed = issue('member_connection', at);
      const live = issue('member_connection', at);
      const liveConsent = issue('admin_consent', new Date(at.getTime() - 30 * 60_000));
      for (const s of [expired, consumed, live, liveConsent]) await p.states.add(s);
      await p.states.consume(consumed.id, at);
      expect(await p.states.deleteSpent(at)).toBeGreaterThanOrEqual(2);
      expect(await p.states.deleteSpent(at)).toBe(0);
      expect((await p.states.consume(live.id, at))?.id).toBe(live.id);
      expect((await p.states.consume(liveConsent.id, at))?.id).toBe(liveConsent.id);
      // Gone for good: consume (which does not look at the expiry itself) no longer finds it.
      expect(await p.states.consume(expired.id, at)).toBeNull();
    });

    it('counts calendar versions per member', async () => {
      const { workspaceId, memberIds } = await p.given(2);
      expect((await p.versions.current(workspaceId, memberIds)).size).toBe(0);
      await p.versions.bump(workspaceId, memberIds[0]!);
      await p.versions.bump(workspaceId, memberIds[0]!);
      const v = await p.versions.current(workspaceId, memberIds);
      expect(v.get(memberIds[0]!)).toBe(2);
      expect(v.has(memberIds[1]!)).toBe(false);
    });

    it('keeps token caches per member and account, and forgets one account or all', async () => {
      const { workspaceId, memberIds } = await p.given(1);
      const memberId = memberIds[0]!;
      const a = { workspaceId, memberId, homeAccountId: 'a.t' };
      const b = { workspaceId, memberId, homeAccountId: 'b.t' };
      expect(await p.vault.load(a)).toBeNull();
      await p.vault.save(a, '{"cache":"a"}');
      await p.vault.save(b, '{"cache":"b"}');
      await p.vault.save(a, '{"cache":"a2"}');
      expect(await p.vault.load(a)).toBe('{"cache":"a2"}');
      await p.vault.delete(workspaceId, memberId, 'b.t');
      expect(await p.vault.load(b)).toBeNull();
      expect(await p.vault.load(a)).toBe('{"cache":"a2"}');
      await p.vault.delete(workspaceId, memberId);
      expect(await p.vault.load(a)).toBeNull();
    });
  });
}
