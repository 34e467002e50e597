// The time kailenty's own bookings take from hosts, read from PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import { BookedTimeReader, type BookedInterval } from '@application/ports/booked-time.reader.js';
import { execute, isUuid } from './sql.js';

/** The time kailenty's own confirmed bookings take from hosts (buffers included), for the slot engine. */
export class MikroOrmBookedTimeReader extends BookedTimeReader {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async busyFor(workspaceId: string, hostIds: readonly string[], start: number, end: number) {
    const ids = hostIds.filter(isUuid);
    const found = new Map<string, BookedInterval[]>();
    if (ids.length === 0) return found;
    const rows = await execute<{ id: string; host_id: string; lo: Date | string; hi: Date | string }>(
      this.em,
      `select id, host_id, lower(blocked) as lo, upper(blocked) as hi from bookings
       where workspace_id = ? and status = 'confirmed' and host_id in (${ids.map(() => '?').join(',')})
         and blocked && tstzrange(?, ?, '[)')`,
      [workspaceId, ...ids, new Date(start), new Date(end)],
    );
    for (const row of rows) {
      const list = found.get(row.host_id) ?? [];
      list.push({ bookingId: row.id, start: new Date(row.lo).getTime(), end: new Date(row.hi).getTime() });
      found.set(row.host_id, list);
    }
    return found;
  }
}
