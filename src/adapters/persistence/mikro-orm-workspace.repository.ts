// Workspaces and API keys in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import { Workspace } from '@domain/workspace/workspace.js';
import { ApiKey } from '@domain/workspace/api-key.js';
import { ApiKeyRepository, WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { ApiKeySchema, WorkspaceSchema, type WorkspaceRecord } from './schemas/workspace.schema.js';

const fresh = { disableIdentityMap: true } as const;

export class MikroOrmWorkspaceRepository extends WorkspaceRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(workspace: Workspace): Promise<void> {
    await this.em.insert(WorkspaceSchema, workspace.toSnapshot());
  }

  async findById(id: string): Promise<Workspace | null> {
    const row = await this.em.findOne(WorkspaceSchema, { id }, fresh);
    return row ? Workspace.fromSnapshot(toSnapshot(row)) : null;
  }

  async save(workspace: Workspace): Promise<void> {
    const { id, ...rest } = workspace.toSnapshot();
    await this.em.nativeUpdate(WorkspaceSchema, { id }, rest);
  }
}

function toSnapshot(row: WorkspaceRecord) {
  return {
    id: row.id,
    name: row.name,
    returnUrl: row.returnUrl,
    tenantId: row.tenantId ?? null,
    reminderMinutes: row.reminderMinutes,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export class MikroOrmApiKeyRepository extends ApiKeyRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(key: ApiKey): Promise<void> {
    await this.em.insert(ApiKeySchema, key.toSnapshot());
  }

  async findActiveByHash(hash: string): Promise<ApiKey | null> {
    const row = await this.em.findOne(ApiKeySchema, { hash, revokedAt: null }, fresh);
    return row ? ApiKey.fromSnapshot({ ...row, revokedAt: row.revokedAt ?? null }) : null;
  }

  async findById(workspaceId: string, id: string): Promise<ApiKey | null> {
    const row = await this.em.findOne(ApiKeySchema, { id, workspaceId }, fresh);
    return row ? ApiKey.fromSnapshot({ ...row, revokedAt: row.revokedAt ?? null }) : null;
  }

  async save(key: ApiKey): Promise<void> {
    const { id, workspaceId, ...rest } = key.toSnapshot();
    await this.em.nativeUpdate(ApiKeySchema, { id, workspaceId }, rest);
  }
}
