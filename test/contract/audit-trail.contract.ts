// One contract for the AuditTrail port, run against the in-memory fake and the MikroORM adapter alike, so
// the fake can never drift from the real thing: what is recorded is what is read back, newest first, in
// pages that never skip or repeat, filtered by type, kept to its workspace, and purged by age.
import { randomUUID } from 'node:crypto';
import { AUDIT_EVENT_TYPES, type AuditEntry, type AuditEvent } from '@domain/audit/audit-event.js';
import type { AuditTrail } from '@application/ports/audit-trail.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { aWorkspace } from '../builders/member.builder.js';
import { anAuditEntry, byApiKey, byOperator } from '../builders/audit.builder.js';

export interface AuditPorts {
  workspaces: WorkspaceRepository;
  trail: AuditTrail;
}

const at = (iso: string) => new Date(iso);

export function auditTrailContract(name: string, make: () => Promise<AuditPorts>): void {
  describe(`${name}: audit trail contract`, () => {
    let ports: AuditPorts;
    beforeEach(async () => {
      ports = await make();
    });

    async function workspace() {
      const ws = aWorkspace();
      await ports.workspaces.add(ws);
      return ws.id;
    }

    async function all(workspaceId: string, type?: AuditEvent['type']) {
      return (await ports.trail.list(workspaceId, { type, limit: 200 })).data;
    }

    it('reads back what was recorded: type, time, actor, client address, object and details', async () => {
      const ws = await workspace();
      const key = randomUUID();
      const member = randomUUID();
      const entries: AuditEntry[] = [
        {
          type: 'api_key.revoked',
          objectId: key,
          details: {},
          by: byOperator('198.51.100.23'),
          occurredAt: at('2026-12-01T08:00:00.123Z'),
        },
        {
          type: 'member.connected',
          objectId: member,
          details: { tenantId: 'tenant-1' },
          by: {
            actor: { type: 'microsoft_account', id: 'oid-adele', name: 'Adele Vance' },
            clientAddress: '2001:db8::7',
          },
          occurredAt: at('2026-12-01T08:00:01Z'),
        },
        {
          type: 'member.connected',
          objectId: member,
          details: { tenantId: 'tenant-1' },
          by: { actor: { type: 'microsoft_account', id: 'oid-adele' }, clientAddress: null },
          occurredAt: at('2026-12-01T08:00:02Z'),
        },
        {
          type: 'member.connection_revoked',
          objectId: member,
          details: { status: 'reauthorization_required', reason: 'AADSTS50076' },
          by: { actor: { type: 'service' }, clientAddress: null },
          occurredAt: at('2026-12-01T08:00:03Z'),
        },
        {
          type: 'webhook_endpoint.created',
          objectId: randomUUID(),
          details: { host: 'hooks.contoso.test:8443', events: ['booking.created', 'connection.revoked'] },
          by: byApiKey(key, '203.0.113.9'),
          occurredAt: at('2026-12-01T08:00:04Z'),
        },
      ];
      for (const entry of entries) await ports.trail.record(ws, entry);

      const read = await all(ws);
      expect(read.map((e) => e.occurredAt)).toEqual(entries.map((e) => e.occurredAt).reverse());
      for (const [i, entry] of [...entries].reverse().entries()) {
        expect(read[i]).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          workspaceId: ws,
          type: entry.type,
          occurredAt: entry.occurredAt,
          actor: entry.by.actor,
          clientAddress: entry.by.clientAddress,
          object: { type: expect.any(String), id: entry.objectId },
          details: entry.details,
        });
      }
      expect(read.map((e) => e.object.type)).toEqual([
        'webhook_endpoint',
        'member',
        'member',
        'member',
        'api_key',
      ]);
      expect(new Set(read.map((e) => e.id)).size).toBe(entries.length);
    });

    it('refuses an event of the service with a client address, recording nothing', async () => {
      const ws = await workspace();
      await expect(
        ports.trail.record(
          ws,
          anAuditEntry({ by: { actor: { type: 'service' }, clientAddress: '192.0.2.1' } }),
        ),
      ).rejects.toThrow();
      expect(await all(ws)).toEqual([]);
    });

    it('knows every event type the domain names', async () => {
      const ws = await workspace();
      for (const type of AUDIT_EVENT_TYPES) await ports.trail.record(ws, anAuditEntry({ type }));
      expect(new Set((await all(ws)).map((e) => e.type))).toEqual(new Set(AUDIT_EVENT_TYPES));
    });

    it('pages newest first over (occurredAt, id) without skipping or repeating, ties included', async () => {
      const ws = await workspace();
      // Seven events on four instants: several share a time, as the events of one change do.
      for (const second of [0, 1, 1, 1, 2, 3, 3]) {
        await ports.trail.record(
          ws,
          anAuditEntry({ occurredAt: new Date(Date.UTC(2026, 11, 1, 8, 0, second)) }),
        );
      }
      const everything = await all(ws);
      expect(everything).toHaveLength(7);
      const keys = everything.map((e) => [e.occurredAt.getTime(), e.id] as const);
      const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
      expect(keys).toEqual(sorted);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ports.trail.list(ws, { limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual(everything.map((e) => e.id));
      // A page that ends exactly at the last event says so.
      const exact = await ports.trail.list(ws, { limit: 7 });
      expect(exact.data).toHaveLength(7);
      expect(exact.nextCursor).toBeNull();
    });

    it('filters by type, paging through the filtered events only', async () => {
      const ws = await workspace();
      for (let i = 0; i < 5; i++) {
        const occurredAt = new Date(Date.UTC(2026, 11, 1, 8, 0, i));
        await ports.trail.record(
          ws,
          i % 2
            ? anAuditEntry({
                type: 'member.status_changed',
                details: { from: 'pending', to: 'active' },
                occurredAt,
              })
            : anAuditEntry({ occurredAt }),
        );
      }
      const first = await ports.trail.list(ws, { type: 'api_key.issued', limit: 2 });
      expect(first.data.map((e) => e.type)).toEqual(['api_key.issued', 'api_key.issued']);
      const second = await ports.trail.list(ws, {
        type: 'api_key.issued',
        limit: 2,
        cursor: first.nextCursor!,
      });
      expect(second.data.map((e) => e.type)).toEqual(['api_key.issued']);
      expect(second.nextCursor).toBeNull();
      expect((await all(ws, 'member.status_changed')).map((e) => e.details)).toEqual([
        { from: 'pending', to: 'active' },
        { from: 'pending', to: 'active' },
      ]);
      expect(await all(ws, 'webhook_endpoint.deleted')).toEqual([]);
    });

    it("keeps each workspace's events to it", async () => {
      const ws = await workspace();
      const other = await workspace();
      await ports.trail.record(ws, anAuditEntry({ occurredAt: at('2026-12-01T08:00:00Z') }));
      await ports.trail.record(ws, anAuditEntry({ occurredAt: at('2026-10-01T08:00:00Z') }));
      expect(await all(other)).toEqual([]);
      expect(await all(randomUUID())).toEqual([]);
      await ports.trail.record(other, anAuditEntry({ occurredAt: at('2026-11-01T08:00:00Z') }));
      // A cursor from one workspace's pages, used on another's, still reads only the other's events.
      const page = await ports.trail.list(ws, { limit: 1 });
      const across = await ports.trail.list(other, { limit: 5, cursor: page.nextCursor! });
      expect(across.data.map((e) => e.workspaceId)).toEqual([other]);
      expect((await all(ws)).map((e) => e.workspaceId)).toEqual([ws, ws]);
    });

    it('purges the events that occurred before the cutoff, of every workspace, and only those', async () => {
      const ws = await workspace();
      const other = await workspace();
      const cutoff = at('2026-01-01T00:00:00Z');
      await ports.trail.record(ws, anAuditEntry({ occurredAt: new Date(cutoff.getTime() - 1) }));
      await ports.trail.record(other, anAuditEntry({ occurredAt: at('2025-06-01T00:00:00Z') }));
      await ports.trail.record(ws, anAuditEntry({ occurredAt: cutoff }));
      await ports.trail.record(other, anAuditEntry({ occurredAt: at('2026-06-01T00:00:00Z') }));
      expect(await ports.trail.purgeBefore(cutoff)).toBeGreaterThanOrEqual(2);
      expect(await ports.trail.purgeBefore(cutoff)).toBe(0);
      expect((await all(ws)).map((e) => e.occurredAt)).toEqual([cutoff]);
      expect((await all(other)).map((e) => e.occurredAt)).toEqual([at('2026-06-01T00:00:00Z')]);
    });
  });
}
