// Which members have a live Graph subscription, read from PostgreSQL.
import type { EntityManager } from '@mikro-orm/core';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute } from './sql.js';

export class MikroOrmChangeNotificationCoverage extends ChangeNotificationCoverage {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async liveMembers(workspaceId: string, memberIds: string[], now: Date): Promise<Set<string>> {
    const ids = memberIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await execute<{ member_id: string }>(
      this.em,
      `select member_id from graph_subscriptions where workspace_id = ? and status = 'active' and expires_at > ?
         and member_id in (${ids.map(() => '?').join(',')})`,
      [workspaceId, now, ...ids],
    );
    return new Set(rows.map((r) => r.member_id));
  }
}
