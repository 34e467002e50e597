// Bookings in PostgreSQL (server or PGlite). Written with SQL because the time range and the exclusion
// constraints are the point: a violation (23P01) becomes SlotTaken, whichever instance lost the race. The
// time a booking takes from each of its hosts (a collective booking has several) is written to booking_hosts
// in the same transaction, whose constraint refuses an overlap for any host. Live holds live in another
// table, so they are checked under the hosts' write locks instead (host-write-lock.ts), taken in one order.
import { TransactionPropagation, type EntityManager } from '@mikro-orm/core';
import { Booking, type BookingSnapshot } from '@domain/booking/booking.js';
import {
  BookingRepository,
  IdempotencyKeyTaken,
  RoomTaken,
  SlotTaken,
  WriteConflict,
  type BookingFilter,
  type DueReminder,
  type ReadOptions,
} from '@application/ports/booking.repository.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '@application/shared/page.js';
import { isUuid } from '@domain/shared/validation.js';
import { dateOrNull, execute, executeWithNext, insertList, jsonColumn, setList, type Column } from './sql.js';
import { serverStatement, ServerStatements } from './server-statements.js';
import { hostLocksHeld, lockHost, lockRoom } from './host-write-lock.js';
import type { WorkspaceReadCache } from './workspace-read-cache.js';
import { isWriteConflict } from './write-conflict.js';

interface Row {
  id: string;
  workspace_id: string;
  event_type_id: string;
  host_id: string;
  co_hosts: unknown;
  status: string;
  start_at: Date | string;
  end_at: Date | string;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  guest: unknown;
  note: string | null;
  answers: unknown;
  title: string;
  location: unknown;
  room?: unknown;
  warnings: unknown;
  calendar: unknown;
  cancelled_by: string | null;
  cancellation_reason: string | null;
  announced: boolean;
  manage_token_hash: string | null;
  manage_token_sealed: string | null;
  sequence: number;
  fact_sequence: number;
  reminder_sent_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function toDomain(row: Row): Booking {
  const calendar = jsonColumn<BookingSnapshot['calendar']>(row.calendar)!;
  return Booking.fromOwnSnapshot({
    id: row.id,
    workspaceId: row.workspace_id,
    eventTypeId: row.event_type_id,
    hostId: row.host_id,
    coHosts: jsonColumn<BookingSnapshot['coHosts']>(row.co_hosts) ?? [],
    status: row.status as BookingSnapshot['status'],
    start: new Date(row.start_at),
    end: new Date(row.end_at),
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    guest: jsonColumn<BookingSnapshot['guest']>(row.guest)!,
    note: row.note,
    answers: jsonColumn<BookingSnapshot['answers']>(row.answers) ?? [],
    title: row.title,
    location: jsonColumn<BookingSnapshot['location']>(row.location)!,
    room: jsonColumn<BookingSnapshot['room']>(row.room ?? null) ?? null,
    warnings: jsonColumn<BookingSnapshot['warnings']>(row.warnings)!,
    calendar: {
      ...calendar,
      writtenStart: dateOrNull(calendar.writtenStart),
      writtenEnd: dateOrNull(calendar.writtenEnd),
    },
    cancelledBy: row.cancelled_by as BookingSnapshot['cancelledBy'],
    cancellationReason: row.cancellation_reason,
    announced: row.announced,
    manageToken:
      row.manage_token_hash && row.manage_token_sealed
        ? { hash: row.manage_token_hash, sealed: row.manage_token_sealed }
        : null,
    sequence: row.sequence,
    factSequence: row.fact_sequence,
    reminderSentAt: dateOrNull(row.reminder_sent_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

function isExclusionViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  return (
    e?.code === '23P01' ||
    e?.cause?.code === '23P01' ||
    /bookings_no_overlap|exclusion constraint/i.test(e?.message ?? '')
  );
}

/** 23505 on the partial unique index of idempotency keys: the same request already made its booking. */
function isIdempotencyKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  return (
    (e?.code === '23505' || e?.cause?.code === '23505' || /unique/i.test(e?.message ?? '')) &&
    /bookings_idempotency_key_uq/.test(e?.message ?? '')
  );
}

/** 23P01 on the room constraint: the booking's room is taken at that time (its host may not be). */
function isRoomViolation(error: unknown): boolean {
  const e = error as { message?: string; constraint?: string; cause?: { constraint?: string } };
  return [e?.message, e?.constraint, e?.cause?.constraint].some((t) =>
    /bookings_room_no_overlap/.test(t ?? ''),
  );
}

function translate(error: unknown): never {
  if (isIdempotencyKeyViolation(error)) throw new IdempotencyKeyTaken();
  if (isExclusionViolation(error) && isRoomViolation(error)) throw new RoomTaken();
  if (isExclusionViolation(error)) throw new SlotTaken();
  if (isWriteConflict(error)) throw new WriteConflict();
  throw error;
}

/** What a save may change, by column name: the UPDATE and the INSERT are both built from these. */
function changing(b: Booking): Record<string, Column> {
  const s = b.toSnapshot();
  const blocked = b.blocked;
  return {
    status: { value: s.status },
    host_id: { value: s.hostId },
    start_at: { value: s.start },
    end_at: { value: s.end },
    blocked: { value: `[${blocked.start.toISOString()},${blocked.end.toISOString()})`, cast: 'tstzrange' },
    location: { value: JSON.stringify(s.location), cast: 'jsonb' },
    room: { value: s.room ? JSON.stringify(s.room) : null, cast: 'jsonb' },
    warnings: { value: JSON.stringify(s.warnings), cast: 'jsonb' },
    calendar: { value: JSON.stringify(s.calendar), cast: 'jsonb' },
    calendar_event_id: { value: s.calendar.eventId },
    cancelled_by: { value: s.cancelledBy },
    cancellation_reason: { value: s.cancellationReason },
    announced: { value: s.announced },
    updated_at: { value: s.updatedAt },
    buffer_before_minutes: { value: s.bufferBeforeMinutes },
    buffer_after_minutes: { value: s.bufferAfterMinutes },
    sequence: { value: s.sequence },
    fact_sequence: { value: s.factSequence },
    reminder_sent_at: { value: s.reminderSentAt },
  };
}

/** The columns written once, when the booking is inserted. */
function fixed(b: Booking, idempotencyKey: string | null): Record<string, Column> {
  const s = b.toSnapshot();
  return {
    id: { value: s.id },
    workspace_id: { value: s.workspaceId },
    event_type_id: { value: s.eventTypeId },
    co_hosts: { value: JSON.stringify(s.coHosts), cast: 'jsonb' },
    guest: { value: JSON.stringify(s.guest), cast: 'jsonb' },
    note: { value: s.note },
    answers: { value: JSON.stringify(s.answers), cast: 'jsonb' },
    title: { value: s.title },
    manage_token_hash: { value: s.manageToken?.hash ?? null },
    manage_token_sealed: { value: s.manageToken?.sealed ?? null },
    created_at: { value: s.createdAt },
    idempotency_key_hash: { value: idempotencyKey },
  };
}

/** `GET /v1/bookings/{id}`: prepared on the server; columns named, so that a new column cannot change its result. */
const BY_ID = serverStatement(
  'kailenty_booking_by_id',
  `select id, workspace_id, event_type_id, host_id, co_hosts, status, start_at, end_at, buffer_before_minutes,
          buffer_after_minutes, guest, note, answers, title, location, room, warnings, calendar, cancelled_by, cancellation_reason,
          announced, manage_token_hash, manage_token_sealed, sequence, fact_sequence, reminder_sent_at, created_at,
          updated_at
     from bookings where id = ?::uuid and workspace_id = ?::uuid`,
);

/** The INSERT of a confirmed booking's booking_hosts rows: one per host, the organiser's first. */
function hostBlocksInsert(booking: Booking): { text: string; values: unknown[] } {
  const rows = booking.hostBlocks;
  return {
    text: `insert into booking_hosts
         (booking_id, host_id, workspace_id, event_type_id, organiser, start_at, end_at, blocked)
       values ${rows.map(() => `(?, ?, ?, ?, ?, ?, ?, tstzrange(?, ?, '[)'))`).join(', ')}`,
    values: rows.flatMap((b, i) => [
      booking.id,
      b.hostId,
      booking.workspaceId,
      booking.eventTypeId,
      i === 0,
      booking.start,
      booking.end,
      b.start,
      b.end,
    ]),
  };
}

export class MikroOrmBookingRepository extends BookingRepository {
  private readonly statements: ServerStatements;

  constructor(
    private readonly em: EntityManager,
    /** Serves `forDisplay` reads without a round trip while it may (null: every read goes to the database). */
    private readonly cache: WorkspaceReadCache | null = null,
  ) {
    super();
    this.statements = new ServerStatements(em);
  }

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return execute<T>(this.em, query, params);
  }

  /**
   * Writes of one host's time take turns (`lockHost`): racing inserts then meet the exclusion constraint one
   * after the other and get a clean 23P01, instead of waiting on each other's uncommitted rows until
   * PostgreSQL breaks the deadlock (40P01) a second later; and a hold written meanwhile is seen.
   */
  private lockHost(hostId: string): Promise<void> {
    return lockHost(this.em, hostId);
  }

  /**
   * Every host's lock, in one order (by id) whatever the organiser: two collective bookings sharing hosts
   * never wait on each other in a circle.
   */
  private async lockHosts(booking: Booking): Promise<void> {
    for (const hostId of [...booking.hostIds].sort()) await this.lockHost(hostId);
  }

  /**
   * A confirmed booking may not overlap a hold of any of its hosts that is live at the booking's write (its
   * `updatedAt`): checked under the hosts' locks, which every hold write takes too. Only time the booking did
   * not block already needs the check (a hold is never placed over a confirmed booking's time).
   */
  private async refuseHeldTime(booking: Booking): Promise<void> {
    if (!booking.takesNewTime) return;
    for (const block of booking.hostBlocks) {
      const [held] = await this.sql<{ id: string }>(
        `select id from holds where host_id = ? and state = 'held' and expires_at > ?
            and blocked && tstzrange(?, ?, '[)') limit 1`,
        [block.hostId, booking.view().updatedAt, block.start, block.end],
      );
      if (held) throw new SlotTaken();
    }
  }

  /**
   * A confirmed booking may not take a room that a hold live at its write keeps at an overlapping meeting time:
   * checked under the room's lock (after the hosts'), which every hold of the room takes too. Confirmed
   * bookings among themselves are kept apart by the exclusion constraint on rooms.
   */
  private async refuseHeldRoom(booking: Booking): Promise<void> {
    if (!booking.takesNewRoom) return;
    const room = booking.room!.email.toLowerCase();
    await lockRoom(this.em, booking.workspaceId, room);
    const [held] = await this.sql<{ id: string }>(
      `select id from holds where workspace_id = ? and room_email = ? and state = 'held' and expires_at > ?
          and tstzrange(start_at, end_at, '[)') && tstzrange(?, ?, '[)') limit 1`,
      [booking.workspaceId, room, booking.view().updatedAt, booking.start, booking.end],
    );
    if (held) throw new RoomTaken();
  }

  /** booking_hosts follows the booking's time: one row per host while it is confirmed, none once cancelled. */
  private async writeHostBlocks(booking: Booking, inserted: boolean): Promise<void> {
    if (!inserted) {
      // A booking object that was never loaded (saved after its own add) cannot tell what the store holds.
      if (!booking.blocksChanged && booking.wasLoaded) return;
      await this.sql('delete from booking_hosts where booking_id = ?', [booking.id]);
    }
    if (!booking.isConfirmed) return;
    const hosts = hostBlocksInsert(booking);
    await this.sql(hosts.text, hosts.values);
  }

  /**
   * The booking's row and its hosts' rows go together: inside the caller's transaction (the usual case, no
   * extra statement), else in one of their own.
   */
  private together(work: () => Promise<void>): Promise<void> {
    return this.em.transactional(work, { propagation: TransactionPropagation.REQUIRED });
  }

  async add(booking: Booking, idempotencyKey: string | null = null): Promise<void> {
    try {
      await this.together(() => this.insert(booking, idempotencyKey));
    } catch (error) {
      translate(error);
    }
  }

  private async insert(booking: Booking, idempotencyKey: string | null): Promise<void> {
    await this.lockHosts(booking);
    await this.refuseHeldTime(booking);
    await this.refuseHeldRoom(booking);
    const row = insertList({ ...changing(booking), ...fixed(booking, idempotencyKey) });
    const bookingInsert = `insert into bookings (${row.names}) values (${row.placeholders})`;
    if (!booking.isConfirmed) {
      await this.sql(bookingInsert, row.values);
      return;
    }
    // The booking's row and its hosts' rows in one statement (one round trip on every booking).
    const hosts = hostBlocksInsert(booking);
    await this.sql(`with booking as (${bookingInsert}) ${hosts.text}`, [...row.values, ...hosts.values]);
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<Booking | null> {
    const [row] = await this.sql<Row>(
      'select * from bookings where workspace_id = ? and idempotency_key_hash = ?',
      [workspaceId, idempotencyKey],
    );
    return row ? toDomain(row) : null;
  }

  async forgetIdempotencyKeys(createdUpTo: Date): Promise<number> {
    const [forgotten] = await this.sql<{ n: number }>(
      `with forgotten as (update bookings set idempotency_key_hash = null
         where idempotency_key_hash is not null and created_at <= ? returning 1)
       select count(*)::int as n from forgotten`,
      [createdUpTo],
    );
    return Number(forgotten?.n ?? 0);
  }

  async save(booking: Booking): Promise<void> {
    try {
      await this.together(() => this.update(booking));
    } catch (error) {
      translate(error);
    }
  }

  private async update(booking: Booking): Promise<void> {
    await this.lockHosts(booking);
    await this.refuseHeldTime(booking);
    await this.refuseHeldRoom(booking);
    const set = setList(changing(booking));
    const update = `update bookings set ${set.assignments} where id = ? and workspace_id = ?`;
    const values = [...set.values, booking.id, booking.workspaceId];
    // A row that keeps its hosts' time and its room (a calendar result, a reminder's mark) cannot meet either
    // exclusion constraint: only a write conflict can fail it, which the committing unit of work tells apart,
    // so it goes with the commit. Anything else is sent now, for SlotTaken and RoomTaken to be told here.
    if (booking.wasLoaded && !booking.blocksChanged && !booking.takesNewRoom) {
      await executeWithNext(this.em, update, values);
    } else await this.sql(update, values);
    await this.writeHostBlocks(booking, false);
  }

  async findById(workspaceId: string, id: string, options: ReadOptions = {}): Promise<Booking | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.statements.cachedRows<Row>(
      options.forDisplay ? this.cache : null,
      workspaceId,
      BY_ID,
      [id, workspaceId],
    );
    return row ? toDomain(row) : null;
  }

  async findForUpdate(workspaceId: string, id: string): Promise<Booking | null> {
    if (!isUuid(id)) return null;
    try {
      // The hosts' locks before the row's, as save() takes them: one order for every writer (the hosts by id,
      // then the row). One round trip: the subquery reads the hosts (the organiser and any co-hosts) and takes
      // their locks in that order; the row is locked above the join, after them.
      const [row] = await this.sql<Row & { locked_host_ids: string[] | string }>(
        `select b.*, h.locked_host_ids
         from (select json_agg(host_id order by host_id) as locked_host_ids
                 from (select host_id, pg_advisory_xact_lock(hashtextextended('booking-host:' || host_id, 0))
                         from (select u.id as host_id from bookings x,
                                 unnest(array[x.host_id::text] || array(select jsonb_array_elements(x.co_hosts) ->> 'hostId')) as u(id)
                                where x.id = ? and x.workspace_id = ? order by u.id collate "C" offset 0) sorted) locked
               having count(*) > 0) h
         join bookings b on b.id = ? and b.workspace_id = ?
         for update of b`,
        [id, workspaceId, id, workspaceId],
      );
      if (!row) return null;
      const locked = jsonColumn<string[]>(row.locked_host_ids) ?? [];
      const held = hostLocksHeld(this.em);
      for (const hostId of locked) held?.add(hostId);
      // Reassigned between the lock and the row (rare): the new host's lock too, before anything is written.
      if (!locked.includes(row.host_id)) await this.lockHost(row.host_id);
      return toDomain(row);
    } catch (error) {
      translate(error);
    }
  }

  async lockHostBookings(
    workspaceId: string,
    hostId: string,
    eventTypeId: string,
    range: { start: Date; end: Date },
    heldAt: Date,
  ): Promise<{ id: string; start: Date; end: Date }[]> {
    if (!isUuid(hostId) || !isUuid(eventTypeId)) return [];
    try {
      await this.lockHost(hostId);
      // The host's own bookings, and those of the type they co-host (collective).
      const rows = await this.sql<{ id: string; start_at: Date | string; end_at: Date | string }>(
        `select id, start_at, end_at from bookings
          where host_id = ? and workspace_id = ? and event_type_id = ? and status = 'confirmed'
            and blocked && tstzrange(?, ?, '[)') and start_at < ? and end_at > ?
         union all
         select booking_id, start_at, end_at from booking_hosts
          where host_id = ? and workspace_id = ? and event_type_id = ? and not organiser
            and start_at < ? and end_at > ?
         union all
         select id, start_at, end_at from holds
          where host_id = ? and workspace_id = ? and event_type_id = ? and state = 'held' and expires_at > ?
            and blocked && tstzrange(?, ?, '[)') and start_at < ? and end_at > ?
          order by start_at`,
        [
          ...[hostId, workspaceId, eventTypeId, range.start, range.end, range.end, range.start],
          ...[hostId, workspaceId, eventTypeId, range.end, range.start],
          ...[hostId, workspaceId, eventTypeId, heldAt, range.start, range.end, range.end, range.start],
        ],
      );
      return rows.map((r) => ({ id: r.id, start: new Date(r.start_at), end: new Date(r.end_at) }));
    } catch (error) {
      translate(error);
    }
  }

  async findByManageTokenHash(hash: string): Promise<Booking | null> {
    const [row] = await this.sql<Row>('select * from bookings where manage_token_hash = ?', [hash]);
    return row ? toDomain(row) : null;
  }

  async findByCalendarEvent(workspaceId: string, hostId: string, eventId: string): Promise<Booking | null> {
    const [row] = await this.sql<Row>(
      'select * from bookings where workspace_id = ? and host_id = ? and calendar_event_id = ? order by created_at desc limit 1',
      [workspaceId, hostId, eventId],
    );
    return row ? toDomain(row) : null;
  }

  async findByCalendarEvents(
    workspaceId: string,
    hostId: string,
    eventIds: readonly string[],
  ): Promise<Map<string, Booking>> {
    if (eventIds.length === 0) return new Map();
    // Each event's most recent booking, as findByCalendarEvent's `order by created_at desc limit 1`.
    const rows = await this.sql<Row & { calendar_event_id: string }>(
      `select distinct on (calendar_event_id) * from bookings
        where workspace_id = ? and host_id = ?
          and calendar_event_id in (select jsonb_array_elements_text(cast(? as jsonb)))
        order by calendar_event_id, created_at desc`,
      [workspaceId, hostId, JSON.stringify(eventIds)],
    );
    return new Map(rows.map((row) => [row.calendar_event_id, toDomain(row)]));
  }

  async list(workspaceId: string, filter: BookingFilter, page: PageRequest): Promise<Page<Booking>> {
    const where = ['workspace_id = ?'];
    const params: unknown[] = [workspaceId];
    if (filter.end) {
      where.push('start_at < ?');
      params.push(filter.end);
    }
    if (filter.hostId) {
      if (!isUuid(filter.hostId)) return { data: [], nextCursor: null };
      // The host's bookings, as organiser or as a co-host of a collective one.
      where.push(`(host_id = ? or co_hosts @> ?::jsonb)`);
      params.push(filter.hostId, JSON.stringify([{ hostId: filter.hostId }]));
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (page.cursor) {
      // A row comparison, so that the index on (…, start_at, id) starts the scan at the cursor.
      const after = decodeCursor(page.cursor);
      where.push('(start_at, id) > (?::timestamptz, ?::uuid)');
      params.push(after.createdAt, after.id);
    }
    const limit = page.limit + 1;
    const ordered = (more: string) => `select * from bookings where ${[...where, more].join(' and ')}
      order by start_at, id limit ?`;
    // "Ends after start", read as two ranges an index finds: the bookings that start from then on, and
    // those already under way at that instant (by their time range), instead of every earlier booking.
    const rows = filter.start
      ? await this.sql<Row>(
          `select * from ((${ordered('start_at >= ?')}) union all
             (${ordered(`start_at < ? and tstzrange(start_at, end_at, '[)') @> ?::timestamptz`)})) b
           order by start_at, id limit ?`,
          [...params, filter.start, limit, ...params, filter.start, filter.start, limit, limit],
        )
      : await this.sql<Row>(
          `select * from bookings where ${where.join(' and ')} order by start_at, id limit ?`,
          [...params, limit],
        );
    // The cursor's position is (start, id): bookings page by start.
    const keyed = rows.map((r) => ({ row: r, createdAt: new Date(r.start_at), id: r.id }));
    return toPage(keyed, page.limit, (k) => toDomain(k.row));
  }

  async lastBookedAt(
    workspaceId: string,
    eventTypeId: string,
    hostIds: readonly string[],
  ): Promise<Map<string, Date>> {
    const ids = hostIds.filter(isUuid);
    const found = new Map<string, Date>();
    if (ids.length === 0) return found;
    const rows = await this.sql<{ host_id: string; last: Date | string }>(
      `select host_id, max(created_at) as last from bookings
       where workspace_id = ? and event_type_id = ? and host_id in (${ids.map(() => '?').join(',')})
       group by host_id`,
      [workspaceId, eventTypeId, ...ids],
    );
    for (const row of rows) found.set(row.host_id, new Date(row.last));
    return found;
  }

  async lockDueReminders(now: Date, limit: number): Promise<DueReminder[]> {
    // The index-friendly twin of Booking.reminderDue, to find them; the booking decides. The longest
    // reminder of any workspace bounds the scan of bookings_reminder_idx: without it every future booking
    // not yet reminded is read to find the few due.
    const rows = await this.sql<Row & { reminder_minutes: number }>(
      `select b.*, w.reminder_minutes from bookings b join workspaces w on w.id = b.workspace_id
       where b.status = 'confirmed' and b.reminder_sent_at is null and b.start_at > ?
         and b.start_at <= ?::timestamptz + make_interval(mins => w.reminder_minutes)
         and b.start_at <= ?::timestamptz + make_interval(mins => (select max(reminder_minutes) from workspaces))
       order by b.start_at limit ? for update of b skip locked`,
      [now, now, now, limit],
    );
    return rows.map((row) => ({ booking: toDomain(row), reminderMinutes: row.reminder_minutes }));
  }
}
