// In-memory bookings, with the database's rules: no two confirmed bookings of one host overlap (for each of
// a collective booking's hosts, with their own buffers), and none overlaps a hold of any of its hosts live at
// its write (the holds live here too, as one database holds both tables),
// and no two confirmed bookings of a workspace hold one room at overlapping meeting times.
import { Booking, blockedTime, type BookingSnapshot } from '@domain/booking/booking.js';
import { Hold, type HoldSnapshot } from '@domain/hold/hold.js';
import {
  BookingRepository,
  IdempotencyKeyTaken,
  RoomTaken,
  SlotTaken,
  type BookingFilter,
  type DueReminder,
} from '@application/ports/booking.repository.js';
import { type Page, type PageRequest } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';
import { InMemoryRowLocks } from './in-memory-row-locks.js';
import { currentInMemoryTransaction } from './in-memory-transaction.js';

export class InMemoryBookingRepository extends BookingRepository {
  readonly rows = new Map<string, BookingSnapshot>();
  /** The holds table (InMemoryHoldRepository writes it): a live hold takes its host's time from bookings. */
  readonly holds = new Map<string, HoldSnapshot>();
  /** `${workspaceId} ${idempotency key digest}` → booking id, as the unique index on bookings keeps it. */
  private readonly idempotencyKeys = new Map<string, string>();
  /** Workspace reminder settings (minutes before the start); 60 when not set. */
  readonly reminderMinutes = new Map<string, number>();
  /** A write locks its row until the transaction ends, as PostgreSQL's UPDATE and SELECT … FOR UPDATE do. */
  private readonly locks = new InMemoryRowLocks();

  private overlaps(b: Booking): boolean {
    if (!b.isConfirmed) return false;
    return b.hostBlocks.some(
      (mine) =>
        this.bookedOverlapping(mine.hostId, mine, b.id) ||
        this.heldOverlapping(mine.hostId, mine, b.view().updatedAt),
    );
  }

  /** Whether another confirmed booking of the workspace holds the booking's room during its meeting. */
  private roomTaken(b: Booking): boolean {
    const room = b.room?.email.toLowerCase();
    if (!b.isConfirmed || room === undefined) return false;
    return [...this.rows.values()].some(
      (r) =>
        r.id !== b.id &&
        r.status === 'confirmed' &&
        r.workspaceId === b.workspaceId &&
        r.room?.email.toLowerCase() === room &&
        r.start < b.end &&
        b.start < r.end,
    );
  }

  /**
   * Whether the booking takes a room (anew) that a hold live at its write keeps at an overlapping meeting time.
   */
  private roomHeld(b: Booking): boolean {
    if (!b.takesNewRoom) return false;
    return this.roomHeldOverlapping(b.workspaceId, b.room!.email, b, b.view().updatedAt);
  }

  /** Whether a hold of the workspace live at `at` keeps this room during `meeting` (meeting times, no buffers). */
  roomHeldOverlapping(
    workspaceId: string,
    room: string,
    meeting: { start: Date; end: Date },
    at: Date,
  ): boolean {
    const email = room.toLowerCase();
    return [...this.holds.values()].some(
      (s) =>
        s.workspaceId === workspaceId &&
        s.room?.email.toLowerCase() === email &&
        Hold.fromSnapshot(s).isLiveAt(at) &&
        s.start < meeting.end &&
        meeting.start < s.end,
    );
  }

  /** Whether a confirmed booking of the workspace holds this room during `meeting`. */
  roomBookedOverlapping(workspaceId: string, room: string, meeting: { start: Date; end: Date }): boolean {
    const email = room.toLowerCase();
    return [...this.rows.values()].some(
      (r) =>
        r.status === 'confirmed' &&
        r.workspaceId === workspaceId &&
        r.room?.email.toLowerCase() === email &&
        r.start < meeting.end &&
        meeting.start < r.end,
    );
  }

  /**
   * Whether a confirmed booking of the host, as organiser or co-host (other than `exceptId`), overlaps `range`
   * (blocked times).
   */
  bookedOverlapping(hostId: string, range: { start: Date; end: Date }, exceptId?: string): boolean {
    return [...this.rows.values()].some((r) => {
      if (r.id === exceptId || r.status !== 'confirmed') return false;
      const other = Booking.fromSnapshot(r).hostBlocks.find((h) => h.hostId === hostId);
      return other !== undefined && other.start < range.end && range.start < other.end;
    });
  }

  /** Whether a hold of the host live at `at` overlaps `range` (blocked times). */
  heldOverlapping(hostId: string, range: { start: Date; end: Date }, at: Date): boolean {
    return [...this.holds.values()].some((s) => {
      if (s.hostId !== hostId) return false;
      const held = blockedTime(s);
      return Hold.fromSnapshot(s).isLiveAt(at) && held.start < range.end && range.start < held.end;
    });
  }

  async add(booking: Booking, idempotencyKey: string | null = null): Promise<void> {
    const keyed = idempotencyKey === null ? null : `${booking.workspaceId} ${idempotencyKey}`;
    if (keyed !== null && this.idempotencyKeys.has(keyed)) throw new IdempotencyKeyTaken();
    if (this.overlaps(booking)) throw new SlotTaken();
    if (this.roomTaken(booking) || this.roomHeld(booking)) throw new RoomTaken();
    this.rows.set(booking.id, booking.toSnapshot());
    if (keyed !== null) this.idempotencyKeys.set(keyed, booking.id);
  }

  async findByIdempotencyKey(workspaceId: string, idempotencyKey: string): Promise<Booking | null> {
    const id = this.idempotencyKeys.get(`${workspaceId} ${idempotencyKey}`);
    return id === undefined ? null : this.findById(workspaceId, id);
  }

  async forgetIdempotencyKeys(createdUpTo: Date): Promise<number> {
    let forgotten = 0;
    for (const [keyed, id] of this.idempotencyKeys) {
      const row = this.rows.get(id);
      if (!row || row.createdAt <= createdUpTo) forgotten += Number(this.idempotencyKeys.delete(keyed));
    }
    return forgotten;
  }

  async save(booking: Booking): Promise<void> {
    await this.locks.lock(booking.id);
    const row = this.rows.get(booking.id);
    if (!row || row.workspaceId !== booking.workspaceId) return;
    if (this.overlaps(booking)) throw new SlotTaken();
    if (this.roomTaken(booking) || this.roomHeld(booking)) throw new RoomTaken();
    this.rows.set(booking.id, booking.toSnapshot());
  }

  async findById(workspaceId: string, id: string): Promise<Booking | null> {
    const row = this.rows.get(id);
    return row && row.workspaceId === workspaceId ? Booking.fromSnapshot(row) : null;
  }

  async findForUpdate(workspaceId: string, id: string): Promise<Booking | null> {
    if (!currentInMemoryTransaction()) throw new Error('findForUpdate outside a transaction locks nothing');
    await this.locks.lock(id);
    return this.findById(workspaceId, id);
  }

  async lockHostBookings(
    workspaceId: string,
    hostId: string,
    eventTypeId: string,
    range: { start: Date; end: Date },
    heldAt: Date,
  ): Promise<{ id: string; start: Date; end: Date }[]> {
    if (!currentInMemoryTransaction())
      throw new Error('lockHostBookings outside a transaction locks nothing');
    await this.locks.lock(`host ${hostId}`);
    return this.typeTimes({ workspaceId, hostId, eventTypeId }, range, heldAt).map((r) => ({
      id: r.id,
      start: new Date(r.start),
      end: new Date(r.end),
    }));
  }

  /**
   * What the event type's limits count for a host (without a lock): its confirmed bookings of the type (its
   * own and those it co-hosts) and its holds of the type live at `heldAt` whose meeting overlaps `range`, by
   * start (the database's two reads of them, lockHostBookings and the slots read, in one place).
   */
  typeTimes(
    of: { workspaceId: string; hostId: string; eventTypeId: string },
    range: { start: Date; end: Date },
    heldAt: Date,
  ): { id: string; start: Date; end: Date }[] {
    const counted = (r: { workspaceId: string; eventTypeId: string; start: Date; end: Date }) =>
      r.workspaceId === of.workspaceId &&
      r.eventTypeId === of.eventTypeId &&
      r.start < range.end &&
      r.end > range.start;
    return [
      ...[...this.rows.values()].filter(
        (r) =>
          r.status === 'confirmed' &&
          (r.hostId === of.hostId || (r.coHosts ?? []).some((h) => h.hostId === of.hostId)) &&
          counted(r),
      ),
      ...[...this.holds.values()].filter(
        (s) => s.hostId === of.hostId && counted(s) && Hold.fromSnapshot(s).isLiveAt(heldAt),
      ),
    ].sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  async findByManageTokenHash(hash: string): Promise<Booking | null> {
    const row = [...this.rows.values()].find((r) => r.manageToken?.hash === hash);
    return row ? Booking.fromSnapshot(row) : null;
  }

  async findByCalendarEvent(workspaceId: string, hostId: string, eventId: string): Promise<Booking | null> {
    const row = this.latestOfEvent(workspaceId, hostId, eventId);
    return row ? Booking.fromSnapshot(row) : null;
  }

  async findByCalendarEvents(
    workspaceId: string,
    hostId: string,
    eventIds: readonly string[],
  ): Promise<Map<string, Booking>> {
    const found = new Map<string, Booking>();
    for (const eventId of eventIds) {
      const row = this.latestOfEvent(workspaceId, hostId, eventId);
      if (row) found.set(eventId, Booking.fromSnapshot(row));
    }
    return found;
  }

  private latestOfEvent(workspaceId: string, hostId: string, eventId: string): BookingSnapshot | undefined {
    return [...this.rows.values()]
      .filter((r) => r.workspaceId === workspaceId && r.hostId === hostId && r.calendar.eventId === eventId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  }

  async list(workspaceId: string, filter: BookingFilter, page: PageRequest): Promise<Page<Booking>> {
    const rows = [...this.rows.values()].filter(
      (r) =>
        r.workspaceId === workspaceId &&
        (!filter.start || r.end > filter.start) &&
        (!filter.end || r.start < filter.end) &&
        (!filter.hostId || r.hostId === filter.hostId || r.coHosts.some((h) => h.hostId === filter.hostId)) &&
        (!filter.status || r.status === filter.status),
    );
    // The cursor's position is (start, id): bookings page by start.
    return pageOf(rows, page, (r) => Booking.fromSnapshot(r), { key: (r) => r.start });
  }

  async lastBookedAt(
    workspaceId: string,
    eventTypeId: string,
    hostIds: readonly string[],
  ): Promise<Map<string, Date>> {
    const found = new Map<string, Date>();
    for (const r of this.rows.values()) {
      if (r.workspaceId !== workspaceId || r.eventTypeId !== eventTypeId || !hostIds.includes(r.hostId))
        continue;
      const seen = found.get(r.hostId);
      if (!seen || r.createdAt > seen) found.set(r.hostId, r.createdAt);
    }
    return found;
  }

  async lockDueReminders(now: Date, limit: number): Promise<DueReminder[]> {
    if (!currentInMemoryTransaction())
      throw new Error('lockDueReminders outside a transaction locks nothing');
    const due = [...this.rows.values()]
      .map((r) => ({
        booking: Booking.fromSnapshot(r),
        reminderMinutes: this.reminderMinutes.get(r.workspaceId) ?? 60,
      }))
      .filter((d) => d.booking.reminderDue(now, d.reminderMinutes))
      .sort((a, b) => a.booking.start.getTime() - b.booking.start.getTime())
      .slice(0, limit);
    for (const d of due) await this.locks.lock(d.booking.id);
    // Read again under the lock: another transaction may have sent it meanwhile.
    return due
      .map((d) => ({ ...d, booking: Booking.fromSnapshot(this.rows.get(d.booking.id)!) }))
      .filter((d) => d.booking.reminderDue(now, d.reminderMinutes));
  }
}
