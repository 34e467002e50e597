// The MikroORM audit trail passes the contract on PGlite (and on PostgreSQL when DATABASE_URL is set); an
// event commits or rolls back with the transaction it was recorded in, and the schema refuses what the
// domain says an event cannot be.
import { randomUUID } from 'node:crypto';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmAuditTrail } from '@adapters/persistence/mikro-orm-audit-trail.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { auditTrailContract } from '../contract/audit-trail.contract.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { aWorkspace } from '../builders/member.builder.js';
import { anAuditEntry } from '../builders/audit.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

auditTrailContract(`MikroORM on ${usingPostgres ? 'PostgreSQL' : 'PGlite'}`, async () => ({
  workspaces: new MikroOrmWorkspaceRepository(db.orm.em),
  trail: new MikroOrmAuditTrail(db.orm.em),
}));

describe('the audit_events table', () => {
  async function workspace() {
    const ws = aWorkspace();
    await new MikroOrmWorkspaceRepository(db.orm.em).add(ws);
    return ws.id;
  }
  const sql = (query: string, params: unknown[] = []) => db.orm.em.getConnection().execute(query, params);

  it('keeps an event only if the transaction it was recorded in commits', async () => {
    const ws = await workspace();
    const trail = new MikroOrmAuditTrail(db.orm.em);
    const uow = new MikroOrmUnitOfWork(db.orm.em);
    await expect(
      uow.transactional(async () => {
        await trail.record(ws, anAuditEntry());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await trail.list(ws, { limit: 10 })).data).toEqual([]);
    await uow.transactional(() => trail.record(ws, anAuditEntry()));
    expect((await trail.list(ws, { limit: 10 })).data).toHaveLength(1);
  });

  it('refuses an unknown type, an actor without its id, a service with an address, and a non-address', async () => {
    const ws = await workspace();
    const insert = (overrides: Record<string, unknown>) => {
      const row = {
        id: randomUUID(),
        workspace_id: ws,
        type: 'api_key.issued',
        actor_type: 'operator',
        actor_id: null,
        actor_name: null,
        client_address: '198.51.100.1',
        object_type: 'api_key',
        object_id: randomUUID(),
        details: '{}',
        occurred_at: new Date().toISOString(),
        ...overrides,
      };
      const columns = Object.keys(row);
      return sql(
        `insert into audit_events (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        Object.values(row),
      );
    };
    await expect(insert({})).resolves.toBeDefined();
    await expect(insert({ type: 'api_key.stolen' })).rejects.toThrow(/check constraint/);
    await expect(insert({ actor_type: 'api_key' })).rejects.toThrow(/check constraint/);
    await expect(insert({ actor_name: 'Operator' })).rejects.toThrow(/check constraint/);
    await expect(insert({ actor_type: 'service' })).rejects.toThrow(/check constraint/);
    await expect(insert({ object_type: 'workspace' })).rejects.toThrow(/check constraint/);
    await expect(insert({ details: '[]' })).rejects.toThrow(/check constraint/);
    await expect(insert({ client_address: 'not-an-address' })).rejects.toThrow(/inet/);
    await expect(insert({ workspace_id: randomUUID() })).rejects.toThrow(/foreign key/);
  });

  it("has the index that serves a workspace's pages, newest first, and one for the purge", async () => {
    const rows = (await sql(
      `select indexname, indexdef from pg_indexes where tablename = 'audit_events' order by indexname`,
    )) as { indexname: string; indexdef: string }[];
    const def = (name: string) => rows.find((r) => r.indexname === name)?.indexdef;
    expect(def('audit_events_workspace_page_idx')).toMatch(/\(workspace_id, occurred_at DESC, id DESC\)/);
    expect(def('audit_events_occurred_at_idx')).toMatch(/\(occurred_at\)/);
  });
});
