// Members' Microsoft connections in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import type { WorkingHours } from '@domain/availability/working-hours.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { MicrosoftConnectionSchema, type MicrosoftConnectionRecord } from './schemas/microsoft.schema.js';
import { isUuid } from '@domain/shared/validation.js';
import { findIn, fresh, jsonColumn } from './sql.js';

export class MikroOrmMicrosoftConnectionRepository extends MicrosoftConnectionRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null> {
    if (!isUuid(memberId)) return null;
    const row = await this.em.findOne(MicrosoftConnectionSchema, { memberId, workspaceId }, fresh);
    return row ? toConnection(row) : null;
  }

  async findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]> {
    const rows = await findIn(this.em, MicrosoftConnectionSchema, 'member_id', workspaceId, memberIds);
    return rows.map(toConnection);
  }

  async listByWorkspace(workspaceId: string): Promise<MicrosoftConnection[]> {
    const rows = await this.em.find(
      MicrosoftConnectionSchema,
      { workspaceId },
      { ...fresh, orderBy: { connectedAt: 'asc' } },
    );
    return rows.map(toConnection);
  }

  async save(connection: MicrosoftConnection): Promise<void> {
    await this.em.upsert(MicrosoftConnectionSchema, connection.toSnapshot(), {
      onConflictFields: ['memberId'],
      onConflictAction: 'merge',
    });
  }

  async delete(workspaceId: string, memberId: string): Promise<void> {
    await this.em.nativeDelete(MicrosoftConnectionSchema, { workspaceId, memberId });
  }
}

function toConnection(row: MicrosoftConnectionRecord): MicrosoftConnection {
  return MicrosoftConnection.fromSnapshot({
    ...row,
    timeZone: row.timeZone ?? null,
    windowsTimeZone: row.windowsTimeZone ?? null,
    workingHours: jsonColumn<WorkingHours>(row.workingHours),
    statusReason: row.statusReason ?? null,
  } as MicrosoftConnectionSnapshot);
}
