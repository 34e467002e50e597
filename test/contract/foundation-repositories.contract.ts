// One contract for the foundation's repository ports, run against the in-memory fakes and the MikroORM
// adapters alike, so a fake can never drift from the real thing.
import { randomUUID } from 'node:crypto';
import { ApiKey } from '@domain/workspace/api-key.js';
import { DomainError } from '@domain/shared/domain-error.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { ApiKeyRepository } from '@application/ports/api-key.repository.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import {
  IDEMPOTENCY_LEASE_MS,
  type IdempotencyStart,
  type IdempotencyStore,
} from '@application/ports/idempotency.store.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

export interface FoundationPorts {
  workspaces: WorkspaceRepository;
  apiKeys: ApiKeyRepository;
  members: MemberRepository;
  idempotency: IdempotencyStore;
}

export function foundationRepositoryContract(name: string, make: () => Promise<FoundationPorts>): void {
  describe(`${name}: foundation repository contract`, () => {
    let ports: FoundationPorts;
    beforeEach(async () => {
      ports = await make();
    });

    async function workspace() {
      const ws = aWorkspace();
      await ports.workspaces.add(ws);
      return ws;
    }

    it('stores and reads back a workspace, and saves its tenant binding', async () => {
      const ws = await workspace();
      expect((await ports.workspaces.findById(ws.id))?.toSnapshot()).toEqual(ws.toSnapshot());
      ws.bindTenant('tenant-1', new Date('2026-12-02T00:00:00Z'));
      await ports.workspaces.save(ws);
      expect((await ports.workspaces.findById(ws.id))?.tenantId).toBe('tenant-1');
      expect(await ports.workspaces.findById(randomUUID())).toBeNull();
    });

    it('reads back a workspace without a return URL as null, and one set later', async () => {
      const ws = aWorkspace({ returnUrl: null });
      await ports.workspaces.add(ws);
      expect((await ports.workspaces.findById(ws.id))!.returnUrl).toBeNull();
      ws.update({ returnUrl: 'https://app.test/back' }, new Date('2026-12-02T00:00:00Z'));
      await ports.workspaces.save(ws);
      expect((await ports.workspaces.findById(ws.id))!.returnUrl).toBe('https://app.test/back');
    });

    it('finds an active API key by hash only until it is revoked, and only within its workspace by id', async () => {
      const ws = await workspace();
      const other = await workspace();
      const key = ApiKey.issue({
        id: randomUUID(),
        workspaceId: ws.id,
        plaintext: 'kly_abcdefghijkl',
        hash: `hash-${randomUUID()}`,
        now: new Date('2026-12-01T08:00:00Z'),
      });
      await ports.apiKeys.add(key);
      const snapshot = key.toSnapshot();
      expect((await ports.apiKeys.findActiveByHash(snapshot.hash))?.workspaceId).toBe(ws.id);
      expect(await ports.apiKeys.findById(other.id, key.id)).toBeNull();
      const found = await ports.apiKeys.findById(ws.id, key.id);
      found!.revoke(new Date('2026-12-01T09:00:00Z'));
      await ports.apiKeys.save(found!);
      expect(await ports.apiKeys.findActiveByHash(snapshot.hash)).toBeNull();
      expect((await ports.apiKeys.findById(ws.id, key.id))?.isActive).toBe(false);
    });

    it('keeps members per workspace: another workspace never sees them', async () => {
      const ws = await workspace();
      const other = await workspace();
      const member = aMember({ workspaceId: ws.id });
      await ports.members.add(member);
      expect((await ports.members.findById(ws.id, member.id))?.toSnapshot()).toEqual(member.toSnapshot());
      expect(await ports.members.findById(other.id, member.id)).toBeNull();
      expect(await ports.members.findByEmail(other.id, member.email)).toBeNull();
      expect((await ports.members.list(other.id, { limit: 10 })).data).toEqual([]);
      expect(await ports.members.findByIds(other.id, [member.id])).toEqual([]);
      expect((await ports.members.findByIds(ws.id, [member.id, 'not-a-uuid'])).map((m) => m.id)).toEqual([
        member.id,
      ]);
    });

    it('refuses a second member with the same email in any letter case, but allows it in another workspace', async () => {
      const ws = await workspace();
      const other = await workspace();
      await ports.members.add(aMember({ workspaceId: ws.id, email: 'Adele@Contoso.com' }));
      const error = await ports.members
        .add(aMember({ workspaceId: ws.id, email: 'adele@contoso.COM' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      await expect(
        ports.members.add(aMember({ workspaceId: other.id, email: 'adele@contoso.com' })),
      ).resolves.toBe(undefined);
      expect((await ports.members.findByEmail(ws.id, 'ADELE@contoso.com'))?.email).toBe('Adele@Contoso.com');
    });

    it('binds a Microsoft account to one member per workspace: a second member saving it is refused ACCOUNT_MISMATCH', async () => {
      const ws = await workspace();
      const other = await workspace();
      const now = new Date('2026-12-02T00:00:00Z');
      const first = aMember({ workspaceId: ws.id });
      const second = aMember({ workspaceId: ws.id });
      const elsewhere = aMember({ workspaceId: other.id });
      for (const m of [first, second, elsewhere]) await ports.members.add(m);
      for (const m of [first, second, elsewhere]) m.bindMicrosoftAccount('oid-1', now);
      await ports.members.save(first);
      const error = await ports.members.save(second).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('ACCOUNT_MISMATCH');
      expect((await ports.members.findById(ws.id, second.id))?.toSnapshot().microsoftUserId).toBeNull();
      await ports.members.save(elsewhere);
      await ports.members.save(first);
      expect((await ports.members.findByMicrosoftUser(ws.id, 'oid-1'))?.id).toBe(first.id);
      expect((await ports.members.findByMicrosoftUser(other.id, 'oid-1'))?.id).toBe(elsewhere.id);
      expect(await ports.members.findByMicrosoftUser(ws.id, 'oid-2')).toBeNull();
    });

    it('pages members in creation order without skipping or repeating, and saves changes', async () => {
      const ws = await workspace();
      const created = [];
      for (let i = 0; i < 5; i++) {
        const m = aMember({ workspaceId: ws.id, now: new Date(Date.UTC(2026, 11, 1, 8, 0, i % 3)) });
        await ports.members.add(m);
        created.push(m);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ports.members.list(ws.id, { limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(new Set(created.map((m) => m.id)));

      const m = created[0]!;
      m.change({ status: 'active', displayName: 'Renamed' }, new Date('2026-12-03T00:00:00Z'));
      await ports.members.save(m);
      const back = await ports.members.findById(ws.id, m.id);
      expect(back?.status).toBe('active');
      expect(back?.toSnapshot().displayName).toBe('Renamed');
    });

    /** Begins and expects a claim; returns it. */
    async function claimed(scope: string, key: string, fingerprint: string, at: Date, takenOver = false) {
      const start = await ports.idempotency.begin(scope, key, fingerprint, at);
      expect(start).toEqual({
        kind: 'started',
        claim: { scope, key, owner: expect.any(String), takenOver },
      });
      return (start as Extract<IdempotencyStart, { kind: 'started' }>).claim;
    }

    it('claims an idempotency key once, replays the stored response, and refuses another body or a running claim', async () => {
      const now = new Date('2026-12-01T08:00:00Z');
      const scope = `ws-${randomUUID()} POST /v1/members`;
      const claim = await claimed(scope, 'k', 'f1', now);
      expect(await ports.idempotency.begin(scope, 'k', 'f1', new Date(now.getTime() + 4_000))).toEqual({
        kind: 'in_use',
        retryAfterMs: IDEMPOTENCY_LEASE_MS - 4_000,
      });
      await ports.idempotency.complete(claim, 201, { id: 'x', nested: { a: [1, 2] } });
      expect(await ports.idempotency.begin(scope, 'k', 'f1', now)).toEqual({
        kind: 'replay',
        status: 201,
        body: { id: 'x', nested: { a: [1, 2] } },
      });
      expect(await ports.idempotency.begin(scope, 'k', 'f2', now)).toEqual({ kind: 'reused' });
      // Another endpoint or workspace is another scope.
      await claimed(`${scope}/x`, 'k', 'f2', now);
      // After 24 hours the key may be used afresh.
      const later = new Date(now.getTime() + 24 * 3600_000);
      await claimed(scope, 'k', 'f2', later);
    });

    it('releases a failed claim so that a corrected retry can run', async () => {
      const now = new Date('2026-12-01T08:00:00Z');
      const scope = `ws-${randomUUID()} POST /v1/bookings`;
      await ports.idempotency.release(await claimed(scope, 'k', 'f1', now));
      await claimed(scope, 'k', 'f2', now);
    });

    it('keeps a running claim while its heartbeat renews the lease, and hands it over once the beats stop', async () => {
      const t0 = new Date('2026-12-01T08:00:00Z').getTime();
      const at = (ms: number) => new Date(t0 + ms);
      const scope = `ws-${randomUUID()} POST /v1/bookings`;
      const first = await claimed(scope, 'k', 'f', at(0));
      // Beats every few seconds hold the key long past one lease.
      for (let ms = 3_000; ms <= 30_000; ms += 3_000) {
        expect(await ports.idempotency.renew(first, at(ms))).toBe(true);
        expect(await ports.idempotency.begin(scope, 'k', 'f', at(ms + 1))).toMatchObject({ kind: 'in_use' });
      }
      // The process dies after its beat at 30 s: at 30 s + lease the key is taken over, by one retry only.
      expect(await ports.idempotency.begin(scope, 'k', 'f', at(30_000 + IDEMPOTENCY_LEASE_MS - 1))).toEqual({
        kind: 'in_use',
        retryAfterMs: 1,
      });
      // Another body is still another request, even with the owner gone.
      expect(await ports.idempotency.begin(scope, 'k', 'g', at(30_000 + IDEMPOTENCY_LEASE_MS))).toEqual({
        kind: 'reused',
      });
      const heir = await claimed(scope, 'k', 'f', at(30_000 + IDEMPOTENCY_LEASE_MS), true);
      expect(heir.owner).not.toBe(first.owner);
      expect(await ports.idempotency.begin(scope, 'k', 'f', at(30_001 + IDEMPOTENCY_LEASE_MS))).toMatchObject(
        {
          kind: 'in_use',
        },
      );
      // The first owner, back from the dead, holds nothing any more: no renewal, no release, no outcome.
      expect(await ports.idempotency.renew(first, at(31_000 + IDEMPOTENCY_LEASE_MS))).toBe(false);
      await ports.idempotency.release(first);
      await ports.idempotency.complete(first, 409, { code: 'SLOT_UNAVAILABLE' });
      expect(await ports.idempotency.begin(scope, 'k', 'f', at(32_000 + IDEMPOTENCY_LEASE_MS))).toMatchObject(
        {
          kind: 'in_use',
        },
      );
      await ports.idempotency.complete(heir, 201, { id: 'b1' });
      expect(await ports.idempotency.begin(scope, 'k', 'f', at(33_000 + IDEMPOTENCY_LEASE_MS))).toEqual({
        kind: 'replay',
        status: 201,
        body: { id: 'b1' },
      });
      expect(await ports.idempotency.renew(heir, at(34_000 + IDEMPOTENCY_LEASE_MS))).toBe(false);
    });

    it('lets exactly one of racing retries take over a dead claim', async () => {
      const now = new Date('2026-12-01T08:00:00Z');
      const scope = `ws-${randomUUID()} POST /v1/bookings`;
      await claimed(scope, 'k', 'f', now);
      const later = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS + 1);
      const starts = await Promise.all(
        Array.from({ length: 5 }, () => ports.idempotency.begin(scope, 'k', 'f', later)),
      );
      expect(starts.filter((s) => s.kind === 'started')).toHaveLength(1);
      expect(starts.filter((s) => s.kind === 'in_use')).toHaveLength(4);
    });

    it('purges the records older than 24 hours, and only those', async () => {
      const now = new Date('2030-01-01T08:00:00Z');
      const scope = `ws-${randomUUID()} POST /v1/members`;
      const day = 24 * 3600_000;
      const old = await claimed(scope, 'old', 'f', new Date(now.getTime() - day - 1));
      await ports.idempotency.complete(old, 201, { id: 'old' });
      await claimed(scope, 'running', 'f', new Date(now.getTime() - day));
      const young = await claimed(scope, 'young', 'f', new Date(now.getTime() - day + 60_000));
      await ports.idempotency.complete(young, 409, { code: 'SLOT_UNAVAILABLE' });
      expect(await ports.idempotency.purgeExpired(now)).toBeGreaterThanOrEqual(2);
      expect(await ports.idempotency.purgeExpired(now)).toBe(0);
      // The young one is still replayed, even asked at a time when begin() alone would not expire it.
      expect(await ports.idempotency.begin(scope, 'young', 'f', now)).toEqual({
        kind: 'replay',
        status: 409,
        body: { code: 'SLOT_UNAVAILABLE' },
      });
      // The purged ones are gone: a begin long before their expiry would otherwise meet them.
      const early = new Date(now.getTime() - day);
      await claimed(scope, 'old', 'g', early);
      await claimed(scope, 'running', 'g', early);
    });
  });
}
