// Workspaces in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import { Workspace } from '@domain/workspace/workspace.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { WorkspaceSchema, type WorkspaceRecord } from './schemas/workspace.schema.js';
import { fresh } from './sql.js';
import { loadedReturnUrl, storedReturnUrl } from './return-url-column.js';

export class MikroOrmWorkspaceRepository extends WorkspaceRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(workspace: Workspace): Promise<void> {
    const snapshot = workspace.toSnapshot();
    await this.em.insert(WorkspaceSchema, { ...snapshot, returnUrl: storedReturnUrl(snapshot.returnUrl) });
  }

  async findById(id: string): Promise<Workspace | null> {
    const row = await this.em.findOne(WorkspaceSchema, { id }, fresh);
    return row ? Workspace.fromSnapshot(toSnapshot(row)) : null;
  }

  async save(workspace: Workspace): Promise<void> {
    const { id, ...rest } = workspace.toSnapshot();
    await this.em.nativeUpdate(
      WorkspaceSchema,
      { id },
      { ...rest, returnUrl: storedReturnUrl(rest.returnUrl) },
    );
  }
}

function toSnapshot(row: WorkspaceRecord) {
  return {
    id: row.id,
    name: row.name,
    returnUrl: loadedReturnUrl(row.returnUrl),
    tenantId: row.tenantId ?? null,
    reminderMinutes: row.reminderMinutes,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
