// Calendar change counters in PostgreSQL: one indexed read per slots query tells every instance which
// cached free/busy is stale.
import type { EntityManager } from '@mikro-orm/core';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute } from './sql.js';

export class MikroOrmCalendarVersions extends CalendarVersions {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async current(workspaceId: string, memberIds: string[]): Promise<Map<string, number>> {
    const ids = memberIds.filter(isUuid);
    const versions = new Map<string, number>();
    if (ids.length === 0) return versions;
    const rows = await execute<{ member_id: string; version: string | number }>(
      this.em,
      `select member_id, version from calendar_versions where workspace_id = ? and member_id in (${ids.map(() => '?').join(',')})`,
      [workspaceId, ...ids],
    );
    for (const row of rows) versions.set(row.member_id, Number(row.version));
    return versions;
  }

  async bump(workspaceId: string, memberId: string): Promise<void> {
    await execute(
      this.em,
      `insert into calendar_versions (member_id, workspace_id, version, changed_at) values (?, ?, 1, now())
       on conflict (member_id) do update set version = calendar_versions.version + 1, changed_at = now()`,
      [memberId, workspaceId],
    );
  }
}
