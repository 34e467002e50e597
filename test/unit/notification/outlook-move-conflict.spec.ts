// A booking whose Outlook event the host moved onto another booking: flagged once per distinct move, the
// flag kept across saves, and gone when Outlook and the booking agree again.
import { Booking } from '@domain/booking/booking.js';
import { aBooking } from '../../builders/booking.builder.js';

const now = new Date('2026-12-01T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('Booking: a conflicting Outlook move', () => {
  it('is flagged with CALENDAR_MOVE_CONFLICT once per distinct move, and survives a snapshot', () => {
    const b = aBooking({ start: '2026-12-03T09:00:00Z' });
    const move = { start: at('2026-12-03T11:00:00Z'), end: at('2026-12-03T11:30:00Z') };
    expect(b.outlookMoveConflicts(move, now)).toBe(true);
    expect(b.toSnapshot().warnings).toEqual(['CALENDAR_MOVE_CONFLICT']);
    const again = Booking.fromSnapshot(structuredClone(b.toSnapshot()));
    expect(again.outlookMoveConflicts(move, now)).toBe(false);
    const other = { start: at('2026-12-03T12:00:00Z'), end: at('2026-12-03T12:30:00Z') };
    expect(again.outlookMoveConflicts(other, now)).toBe(true);
    expect(again.toSnapshot().warnings).toEqual(['CALENDAR_MOVE_CONFLICT']);
    expect(again.toSnapshot().start).toEqual(at('2026-12-03T09:00:00Z'));
  });

  it('is cleared when Outlook and the booking agree again, keeping other warnings', () => {
    const b = aBooking();
    expect(b.outlookConflictResolved(now)).toBe(false);
    b.outlookMoveConflicts({ start: at('2026-12-03T11:00:00Z'), end: at('2026-12-03T11:30:00Z') }, now);
    expect(b.outlookConflictResolved(now)).toBe(true);
    expect(b.toSnapshot().warnings).toEqual([]);
    expect(b.toSnapshot().calendar.outlookConflict).toBeNull();
  });
});
