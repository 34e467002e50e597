// Availability policies in PostgreSQL (server or PGlite): one row per member, written with an upsert.
import type { EntityManager } from '@mikro-orm/core';
import {
  AvailabilityPolicy,
  type AvailabilityPolicySnapshot,
} from '@domain/availability/availability-policy.js';
import { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import { AvailabilityPolicySchema, type AvailabilityPolicyRecord } from './schemas/availability.schema.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute, fresh } from './sql.js';

export class MikroOrmAvailabilityPolicyRepository extends AvailabilityPolicyRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async find(workspaceId: string, memberId: string): Promise<AvailabilityPolicy | null> {
    if (!isUuid(memberId)) return null;
    const row = await this.em.findOne(AvailabilityPolicySchema, { memberId, workspaceId }, fresh);
    return row ? toDomain(row) : null;
  }

  async findByMembers(workspaceId: string, memberIds: string[]): Promise<AvailabilityPolicy[]> {
    const ids = [...new Set(memberIds.filter(isUuid))];
    if (ids.length === 0) return [];
    const rows = await this.em.find(AvailabilityPolicySchema, { workspaceId, memberId: { $in: ids } }, fresh);
    return rows.map(toDomain);
  }

  async save(policy: AvailabilityPolicy): Promise<void> {
    const s = policy.toSnapshot();
    // The row's workspace is part of the conflict check: a policy never moves to another workspace.
    await execute(
      this.em,
      `insert into availability_policies (member_id, workspace_id, time_zone, weekly, overrides,
         buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, max_days_ahead, busy_statuses,
         extra_calendars, updated_at)
       values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::timestamptz)
       on conflict (member_id) do update set
         time_zone = excluded.time_zone, weekly = excluded.weekly, overrides = excluded.overrides,
         buffer_before_minutes = excluded.buffer_before_minutes,
         buffer_after_minutes = excluded.buffer_after_minutes,
         minimum_notice_minutes = excluded.minimum_notice_minutes, max_days_ahead = excluded.max_days_ahead,
         busy_statuses = excluded.busy_statuses, extra_calendars = excluded.extra_calendars,
         updated_at = excluded.updated_at
       where availability_policies.workspace_id = excluded.workspace_id`,
      [
        s.memberId,
        s.workspaceId,
        s.timeZone,
        JSON.stringify(s.weekly),
        JSON.stringify(s.overrides),
        s.bufferBeforeMinutes,
        s.bufferAfterMinutes,
        s.minimumNoticeMinutes,
        s.maxDaysAhead,
        JSON.stringify(s.busyStatuses),
        JSON.stringify(s.extraCalendars),
        s.updatedAt.toISOString(),
      ],
    );
  }
}

function toDomain(row: AvailabilityPolicyRecord): AvailabilityPolicy {
  return AvailabilityPolicy.fromSnapshot({
    memberId: row.memberId,
    workspaceId: row.workspaceId,
    timeZone: row.timeZone,
    weekly: row.weekly,
    overrides: row.overrides,
    bufferBeforeMinutes: row.bufferBeforeMinutes,
    bufferAfterMinutes: row.bufferAfterMinutes,
    minimumNoticeMinutes: row.minimumNoticeMinutes,
    maxDaysAhead: row.maxDaysAhead,
    busyStatuses: row.busyStatuses,
    extraCalendars: row.extraCalendars,
    updatedAt: row.updatedAt,
  } as AvailabilityPolicySnapshot);
}
