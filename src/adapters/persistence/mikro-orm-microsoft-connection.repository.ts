// Members' Microsoft connections in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import type { WorkingHours } from '@domain/availability/working-hours.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { MicrosoftConnectionSchema, type MicrosoftConnectionRecord } from './schemas/microsoft.schema.js';
import { execute, fresh, isUuid } from './sql.js';

export class MikroOrmMicrosoftConnectionRepository extends MicrosoftConnectionRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null> {
    if (!isUuid(memberId)) return null;
    const row = await this.em.findOne(MicrosoftConnectionSchema, { memberId, workspaceId }, fresh);
    return row ? toConnection(row) : null;
  }

  /** On every slots query and booking: plain SQL, the ORM's find costs ~10× more CPU. */
  async findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]> {
    const ids = memberIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await execute<Record<string, unknown>>(
      this.em,
      `select * from microsoft_connections where workspace_id = ? and member_id in (${ids.map(() => '?').join(',')})`,
      [workspaceId, ...ids],
    );
    return rows.map((r) =>
      MicrosoftConnection.fromSnapshot({
        workspaceId: r.workspace_id as string,
        memberId: r.member_id as string,
        userId: r.user_id as string,
        tenantId: r.tenant_id as string,
        homeAccountId: r.home_account_id as string,
        mailbox: r.mailbox as string,
        timeZone: (r.time_zone as string | null) ?? null,
        windowsTimeZone: (r.windows_time_zone as string | null) ?? null,
        workingHours: jsonColumn<WorkingHours>(r.working_hours),
        teamsEnabled: Boolean(r.teams_enabled),
        status: r.status as MicrosoftConnectionSnapshot['status'],
        statusReason: (r.status_reason as string | null) ?? null,
        connectedAt: new Date(r.connected_at as string),
        lastSignInAt: new Date(r.last_sign_in_at as string),
        statusChangedAt: new Date(r.status_changed_at as string),
      }),
    );
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

/** A jsonb value as the driver hands it over: parsed already (pg, PGlite) or as text. */
function jsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
