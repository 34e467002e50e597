// Brings a booking's Outlook event in line with the booking: create it (idempotent by transactionId),
// move it (times only, so the Teams meeting and its link stay), invite another room when one declined,
// cancel it (attendees are told), and
// cancel events left on a former host's calendar. Failures are retried with backoff, honouring Retry-After;
// the booking stays confirmed whatever Microsoft does, and calendar.syncStatus says where it stands:
// calendar.lastError shows the latest fault as soon as Microsoft answers it, even while the write is still
// being retried, and every failed attempt is a warn line (error once the booking shows `failed`). A write
// Microsoft refused because the host's access was withdrawn is recorded (RecordMicrosoftFailure) and retried.
import type { Booking } from '@domain/booking/booking.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { answerText } from '@domain/event-type/booking-question.js';
import { Clock } from '../ports/clock.js';
import { BookingRepository, retryOnWriteConflict } from '../ports/booking.repository.js';
import { CalendarSyncQueue, type CalendarSyncClaim } from '../ports/calendar-sync.queue.js';
import { CalendarUnavailable, CalendarWriter, type RetryListener } from '../ports/calendar-writer.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { CalendarVersions } from '../ports/calendar-versions.js';
import { OperationalLog } from '../ports/operational-log.js';
import { BookingCommitter } from './booking-committer.js';
import { RecordMicrosoftFailure } from '../connection/record-microsoft-failure.use-case.js';

export const SYNC_LEASE_MS = 60_000;
/** After this many failed attempts the booking shows `failed` (and is still retried). */
export const FAILED_AFTER_ATTEMPTS = 3;

/** 5 s, 10 s, 20 s … capped at 1 h; Microsoft's Retry-After wins when it asks for longer. */
export function syncBackoffMs(attempts: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, (retryAfterSeconds ?? 0) * 1000);
}

export type SyncOutcome = 'synced' | 'retry' | 'gone' | 'nothing';

export interface SyncResult {
  outcome: SyncOutcome;
  /** The booking as this sync committed it; null when it committed nothing. */
  committed: Booking | null;
}

export class SyncBookingCalendar {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly queue: CalendarSyncQueue,
    private readonly writer: CalendarWriter,
    private readonly committer: BookingCommitter,
    private readonly versions: CalendarVersions,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly log: OperationalLog,
    private readonly failures: RecordMicrosoftFailure,
  ) {}

  /** Claims and processes the next due booking (or the given one); 'nothing' when none is due. */
  async runOnce(bookingId?: string): Promise<SyncOutcome> {
    return (await this.run(bookingId)).outcome;
  }

  /**
   * runOnce for one booking, with the booking as the sync committed it (null when it committed nothing):
   * the caller answers with it instead of reading it again.
   */
  runFor(bookingId: string): Promise<SyncResult> {
    return this.run(bookingId);
  }

  /**
   * runFor a booking this caller has just committed, with the claim its commit took (CommitOptions'
   * `claimCalendarWorkForMs`): neither claimed nor read again. The booking given is the caller's own, and
   * changes as the sync goes (as a booking read for the sync would): the committed result is what to answer.
   */
  runClaimed(claim: CalendarSyncClaim, booking: Booking): Promise<SyncResult> {
    return this.log.within({ workspaceId: claim.workspaceId, bookingId: claim.bookingId }, () =>
      this.process(claim, booking),
    );
  }

  private async run(bookingId?: string): Promise<SyncResult> {
    const claim = await this.queue.claim(this.clock.now(), SYNC_LEASE_MS, bookingId);
    if (!claim) return { outcome: 'nothing', committed: null };
    // Whatever is logged meanwhile (a Graph fault while writing) says which booking it was for.
    return this.log.within({ workspaceId: claim.workspaceId, bookingId: claim.bookingId }, () =>
      this.process(claim),
    );
  }

  private async process(claim: CalendarSyncClaim, known?: Booking): Promise<SyncResult> {
    const booking = known ?? (await this.bookings.findById(claim.workspaceId, claim.bookingId));
    if (!booking) {
      await this.queue.complete(claim);
      return { outcome: 'gone', committed: null };
    }
    // A new event only adds busy time where the booking already blocks its host in kailenty's own booked
    // time, which every slots read takes from the database: cached free/busy need not be read again for it.
    // A move, a cancel or an old host's event frees time that cached free/busy may still show as busy.
    const freesTime = booking.calendarWork !== 'create' || booking.view().calendar.obsoleteEvents.length > 0;
    try {
      await this.bringInLine(booking, this.showRetry(claim));
    } catch (error) {
      await this.failures.recordRefusalIn(error);
      return { outcome: await this.failed(claim, booking, error), committed: null };
    }
    // Racing booking inserts can make PostgreSQL abort this save (a deadlock): nothing was written; again.
    const committed = await retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        // Read locked: a cancel or reschedule committing meanwhile waits, or is what we build on.
        const fresh = await this.bookings.findForUpdate(claim.workspaceId, claim.bookingId);
        if (!fresh) return null;
        // booking.created the first time, booking.updated when the result shows: the booking records it.
        fresh.adoptCalendarSync(booking, this.clock.now());
        await this.committer.commit(fresh);
        await this.queue.complete(claim);
        return fresh;
      }),
    );
    if (freesTime) await this.versions.bump(booking.workspaceId, booking.hostId);
    return { outcome: 'synced', committed };
  }

  /**
   * The event invites the booking's room instead of the one before: a room declined and the next one takes its
   * place, or a reschedule chose another room (or none, the event type's place again).
   */
  private async changeRoom(booking: Booking, onRetry: RetryListener): Promise<void> {
    const s = booking.toSnapshot();
    const room = s.room ?? null;
    const written = await this.writer.changeRoom(
      s.workspaceId,
      s.hostId,
      s.calendar.eventId!,
      {
        attendee: { name: s.guest.name, email: s.guest.email },
        ...(s.coHosts.length > 0 && {
          coHosts: s.coHosts.flatMap((h) => (h.email ? [{ name: h.name, email: h.email }] : [])),
        }),
        room,
        location: { kind: s.location.kind, value: s.location.value },
      },
      onRetry,
    );
    booking.calendarWritten({
      ...written,
      start: s.start,
      end: s.end,
      room: room?.email ?? null,
      now: this.clock.now(),
    });
  }

  private async bringInLine(booking: Booking, onRetry: RetryListener): Promise<void> {
    const s = booking.toSnapshot();
    for (const old of s.calendar.obsoleteEvents) {
      const eventId =
        old.eventId ??
        (await this.writer.findByTransactionId(s.workspaceId, old.hostId, old.transactionId, onRetry));
      if (eventId)
        await this.writer.cancelEvent(
          s.workspaceId,
          old.hostId,
          eventId,
          'This meeting moved to another host.',
          onRetry,
        );
      booking.obsoleteEventCancelled(old.transactionId);
    }
    const now = this.clock.now();
    switch (booking.calendarWork) {
      case 'create': {
        const written = await this.writer.createEvent(
          s.workspaceId,
          s.hostId,
          {
            subject: `${s.title}: ${s.guest.name}`,
            bodyHtml: eventBody(booking),
            start: s.start,
            end: s.end,
            attendee: { name: s.guest.name, email: s.guest.email },
            // A collective booking's one event invites its co-hosts too (organised by the first host).
            ...(s.coHosts.length > 0 && {
              coHosts: s.coHosts.flatMap((h) => (h.email ? [{ name: h.name, email: h.email }] : [])),
            }),
            location: { kind: s.location.kind, value: s.location.value },
            room: s.room ?? null,
            transactionId: s.calendar.transactionId,
          },
          onRetry,
        );
        booking.calendarWritten({ ...written, start: s.start, end: s.end, room: s.room?.email ?? null, now });
        break;
      }
      case 'move': {
        const written = await this.writer.moveEvent(
          s.workspaceId,
          s.hostId,
          s.calendar.eventId!,
          s.start,
          s.end,
          onRetry,
        );
        booking.calendarWritten({ ...written, start: s.start, end: s.end, now });
        // A reschedule that chose another room (or none) tells the event that too.
        // (Read again: the move changed what is left to do.)
        if (workLeft(booking) === 'room') await this.changeRoom(booking, onRetry);
        break;
      }
      case 'room':
        await this.changeRoom(booking, onRetry);
        break;
      case 'cancel': {
        const eventId =
          s.calendar.eventId ??
          (await this.writer.findByTransactionId(s.workspaceId, s.hostId, s.calendar.transactionId, onRetry));
        if (eventId) {
          await this.writer.cancelEvent(
            s.workspaceId,
            s.hostId,
            eventId,
            s.cancellationReason ?? 'This meeting was cancelled.',
            onRetry,
          );
        }
        booking.calendarCancelled(now);
        break;
      }
      case 'none':
        break;
    }
  }

  /**
   * While the writer retries a fault within the call (Graph's own retries honour Retry-After, which can be
   * long), the booking already shows it: `lastError` is the latest fault, not null until the call gives up.
   */
  private showRetry(claim: CalendarSyncClaim): RetryListener {
    return async (fault) => {
      const now = this.clock.now();
      await retryOnWriteConflict(() =>
        this.uow.transactional(async () => {
          const stored = await this.bookings.findForUpdate(claim.workspaceId, claim.bookingId);
          if (!stored) return;
          stored.calendarFailed(fault.message, false, now);
          await this.committer.commit(stored);
        }),
      );
    };
  }

  private async failed(claim: CalendarSyncClaim, booking: Booking, error: unknown): Promise<SyncOutcome> {
    const now = this.clock.now();
    const retryAfter = error instanceof CalendarUnavailable ? error.retryAfterSeconds : undefined;
    const message =
      error instanceof DomainError || error instanceof CalendarUnavailable
        ? error.message
        : error instanceof Error
          ? error.message
          : String(error);
    const at = new Date(now.getTime() + syncBackoffMs(claim.attempts, retryAfter));
    const giveUpHope = claim.attempts >= FAILED_AFTER_ATTEMPTS;
    await retryOnWriteConflict(() =>
      this.uow.transactional(async () => {
        const stored = await this.bookings.findForUpdate(claim.workspaceId, claim.bookingId);
        if (stored) {
          stored.calendarFailed(message, giveUpHope, now);
          await this.committer.commit(stored);
        }
        await this.queue.retryAt(claim, at, message);
      }),
    );
    const fields = {
      workspaceId: claim.workspaceId,
      bookingId: claim.bookingId,
      hostId: booking.hostId,
      work: booking.calendarWork,
      attempt: claim.attempts,
      error: message,
      retryAfterSeconds: retryAfter ?? null,
      nextAttemptAt: at.toISOString(),
    };
    if (giveUpHope)
      this.log.error(
        'calendar.write_failing',
        `Calendar write for booking ${claim.bookingId} failed ${claim.attempts} times; the booking shows syncStatus failed and the write is retried at ${fields.nextAttemptAt}: ${message}`,
        fields,
      );
    else
      this.log.warn(
        'calendar.write_failed',
        `Calendar write for booking ${claim.bookingId} failed (attempt ${claim.attempts}), retried at ${fields.nextAttemptAt}: ${message}`,
        fields,
      );
    return 'retry';
  }
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function eventBody(booking: Booking): string {
  const s = booking.toSnapshot();
  const lines = [
    `<p>Booked with kailenty by ${escapeHtml(s.guest.name)} (${escapeHtml(s.guest.email)}).</p>`,
  ];
  if (s.note) lines.push(`<p>${escapeHtml(s.note).replace(/\n/g, '<br>')}</p>`);
  // The guest's answers are the guest's words: escaped like the note, so that none can add markup.
  for (const answer of s.answers) {
    const text = escapeHtml(answerText(answer)).replace(/\n/g, '<br>');
    lines.push(`<p><strong>${escapeHtml(answer.label)}</strong><br>${text}</p>`);
  }
  if (s.location.kind !== 'teams' && s.location.value) lines.push(`<p>${escapeHtml(s.location.value)}</p>`);
  return lines.join('\n');
}

/** What the calendar must still be told, read afresh. */
function workLeft(booking: Booking): Booking['calendarWork'] {
  return booking.calendarWork;
}
