// Holds in PostgreSQL (server or PGlite), in plain SQL like bookings: the overlap check and the insert run
// under the host's write lock (host-write-lock.ts), the one booking writes take, so a hold and a booking
// racing for a host's time are written one after the other and the second sees the first.
import type { EntityManager } from '@mikro-orm/core';
import { Hold, type HoldSnapshot } from '@domain/hold/hold.js';
import { HoldRepository } from '@application/ports/hold.repository.js';
import { RoomTaken, SlotTaken, WriteConflict } from '@application/ports/booking.repository.js';
import { isUuid } from '@domain/shared/validation.js';
import { execute, insertList } from './sql.js';
import { lockHost, lockRoom } from './host-write-lock.js';

interface Row {
  id: string;
  workspace_id: string;
  event_type_id: string;
  host_id: string;
  state: string;
  start_at: Date | string;
  end_at: Date | string;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  time_zone: string;
  expires_at: Date | string;
  booking_id: string | null;
  holder: string | null;
  room: unknown;
  created_at: Date | string;
  updated_at: Date | string;
}

function toDomain(row: Row): Hold {
  return Hold.fromSnapshot({
    id: row.id,
    workspaceId: row.workspace_id,
    eventTypeId: row.event_type_id,
    hostId: row.host_id,
    state: row.state as HoldSnapshot['state'],
    start: new Date(row.start_at),
    end: new Date(row.end_at),
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    timeZone: row.time_zone,
    expiresAt: new Date(row.expires_at),
    bookingId: row.booking_id,
    holder: row.holder,
    room: (typeof row.room === 'string' ? JSON.parse(row.room) : row.room) as HoldSnapshot['room'],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

/** 40P01 deadlock, 40001 serialization failure: nothing was written; the caller may try again. */
function translate(error: unknown): never {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  if (['40P01', '40001'].includes(code) || /deadlock detected|could not serialize/i.test(e?.message ?? ''))
    throw new WriteConflict();
  throw error;
}

const COLUMNS = `id, workspace_id, event_type_id, host_id, state, start_at, end_at, buffer_before_minutes,
  buffer_after_minutes, time_zone, expires_at, booking_id, holder, room, created_at, updated_at`;

export class MikroOrmHoldRepository extends HoldRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return execute<T>(this.em, query, params);
  }

  async add(hold: Hold): Promise<void> {
    const s = hold.toSnapshot();
    const blocked = hold.blocked;
    try {
      await lockHost(this.em, s.hostId);
      // Under the lock: the host's confirmed bookings (co-hosted ones too) and holds live now are all committed
      // or ours.
      const [taken] = await this.sql<{ taken: boolean }>(
        `select exists (select 1 from bookings where host_id = ? and status = 'confirmed'
                          and blocked && tstzrange(?, ?, '[)'))
             or exists (select 1 from booking_hosts where host_id = ? and not organiser
                          and blocked && tstzrange(?, ?, '[)'))
             or exists (select 1 from holds where host_id = ? and state = 'held' and expires_at > ?
                          and blocked && tstzrange(?, ?, '[)')) as taken`,
        [
          s.hostId,
          blocked.start,
          blocked.end,
          s.hostId,
          blocked.start,
          blocked.end,
          s.hostId,
          s.createdAt,
          blocked.start,
          blocked.end,
        ],
      );
      if (taken?.taken) throw new SlotTaken();
      // The room too (its meeting time, no buffers): a confirmed booking or a live hold of it refuses the hold.
      if (s.room) {
        await lockRoom(this.em, s.workspaceId, s.room.email);
        const [room] = await this.sql<{ taken: boolean }>(
          `select exists (select 1 from bookings where workspace_id = ? and room_email = ? and status = 'confirmed'
                            and tstzrange(start_at, end_at, '[)') && tstzrange(?, ?, '[)'))
               or exists (select 1 from holds where workspace_id = ? and room_email = ? and state = 'held'
                            and expires_at > ? and tstzrange(start_at, end_at, '[)') && tstzrange(?, ?, '[)'))
               as taken`,
          [
            ...[s.workspaceId, s.room.email.toLowerCase(), s.start, s.end],
            ...[s.workspaceId, s.room.email.toLowerCase(), s.createdAt, s.start, s.end],
          ],
        );
        if (room?.taken) throw new RoomTaken();
      }
      const row = insertList({
        id: { value: s.id },
        workspace_id: { value: s.workspaceId },
        event_type_id: { value: s.eventTypeId },
        host_id: { value: s.hostId },
        state: { value: s.state },
        start_at: { value: s.start },
        end_at: { value: s.end },
        buffer_before_minutes: { value: s.bufferBeforeMinutes },
        buffer_after_minutes: { value: s.bufferAfterMinutes },
        blocked: {
          value: `[${blocked.start.toISOString()},${blocked.end.toISOString()})`,
          cast: 'tstzrange',
        },
        time_zone: { value: s.timeZone },
        expires_at: { value: s.expiresAt },
        booking_id: { value: s.bookingId },
        holder: { value: s.holder },
        room: { value: s.room ? JSON.stringify(s.room) : null, cast: 'jsonb' },
        created_at: { value: s.createdAt },
        updated_at: { value: s.updatedAt },
      });
      await this.sql(`insert into holds (${row.names}) values (${row.placeholders})`, row.values);
    } catch (error) {
      if (error instanceof SlotTaken) throw error;
      translate(error);
    }
  }

  async findById(workspaceId: string, id: string): Promise<Hold | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<Row>(`select ${COLUMNS} from holds where id = ? and workspace_id = ?`, [
      id,
      workspaceId,
    ]);
    return row ? toDomain(row) : null;
  }

  async findLiveByHolder(workspaceId: string, holder: string, now: Date): Promise<Hold[]> {
    const rows = await this.sql<Row>(
      `select ${COLUMNS} from holds
        where workspace_id = ? and holder = ? and state = 'held' and expires_at > ? order by created_at`,
      [workspaceId, holder, now],
    );
    return rows.map(toDomain);
  }

  async findForUpdate(workspaceId: string, id: string): Promise<Hold | null> {
    if (!isUuid(id)) return null;
    try {
      // The host's lock before the row's, as bookings take them (a hold never changes host).
      const [host] = await this.sql<{ host_id: string }>(
        'select host_id from holds where id = ? and workspace_id = ?',
        [id, workspaceId],
      );
      if (!host) return null;
      await lockHost(this.em, host.host_id);
      const [row] = await this.sql<Row>(
        `select ${COLUMNS} from holds where id = ? and workspace_id = ? for update`,
        [id, workspaceId],
      );
      return row ? toDomain(row) : null;
    } catch (error) {
      translate(error);
    }
  }

  async save(hold: Hold): Promise<void> {
    const s = hold.toSnapshot();
    try {
      await lockHost(this.em, s.hostId);
      await this.sql(
        'update holds set state = ?, booking_id = ?, updated_at = ? where id = ? and workspace_id = ?',
        [s.state, s.bookingId, s.updatedAt, s.id, s.workspaceId],
      );
    } catch (error) {
      translate(error);
    }
  }

  async deleteExpired(expiredUpTo: Date): Promise<number> {
    const [deleted] = await this.sql<{ n: number }>(
      `with deleted as (delete from holds where expires_at <= ? returning 1) select count(*)::int as n from deleted`,
      [expiredUpTo],
    );
    return Number(deleted?.n ?? 0);
  }
}
