// The Hold aggregate: its expiry rule, when it takes time, and its transitions.
import { randomUUID } from 'node:crypto';
import { Hold } from '@domain/hold/hold.js';
import { aHold } from '../../builders/hold.builder.js';

const now = new Date('2026-12-01T08:00:00Z');
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('Hold', () => {
  it('keeps the start for expiresInSeconds, over the meeting and its buffers', () => {
    const hold = aHold({
      start: '2026-12-03T09:00:00Z',
      durationMinutes: 45,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      expiresInSeconds: 90,
      now,
    });
    expect(hold.end.toISOString()).toBe('2026-12-03T09:45:00.000Z');
    expect(hold.expiresAt.toISOString()).toBe('2026-12-01T08:01:30.000Z');
    expect(hold.blocked).toEqual({
      start: new Date('2026-12-03T08:55:00Z'),
      end: new Date('2026-12-03T09:55:00Z'),
    });
    expect(hold.durationMinutes).toBe(45);
  });

  it.each([0, 901, 1.5, -1, Number.NaN])('refuses an expiry of %p seconds, naming the field', (seconds) => {
    expect(() => aHold({ expiresInSeconds: seconds })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field: 'expiresInSeconds' })],
      }),
    );
  });

  it.each([1, 900])('accepts %p seconds', (seconds) => {
    expect(aHold({ expiresInSeconds: seconds, now }).expiresAt.getTime()).toBe(
      now.getTime() + seconds * 1000,
    );
  });

  it('is live until its expiry instant, then expired', () => {
    const hold = aHold({ expiresInSeconds: 60, now });
    expect(hold.isLiveAt(at(59.999))).toBe(true);
    expect(hold.statusAt(at(59.999))).toBe('held');
    expect(hold.isLiveAt(at(60))).toBe(false);
    expect(hold.statusAt(at(60))).toBe('expired');
  });

  it('is released once (again: no change) and then takes nothing', () => {
    const hold = aHold({ now });
    hold.release(at(1));
    hold.release(at(2));
    expect(hold.statusAt(at(3))).toBe('released');
    expect(hold.isLiveAt(at(3))).toBe(false);
    expect(hold.toSnapshot().updatedAt).toEqual(at(1));
    expect(() => hold.convert(randomUUID(), at(4))).toThrow(
      expect.objectContaining({ code: 'HOLD_EXPIRED' }),
    );
  });

  it('becomes a booking only while live; a booked hold cannot be released nor booked again', () => {
    const expired = aHold({ expiresInSeconds: 10, now });
    expect(() => expired.convert(randomUUID(), at(10))).toThrow(
      expect.objectContaining({ code: 'HOLD_EXPIRED' }),
    );

    const hold = aHold({ now });
    const bookingId = randomUUID();
    hold.convert(bookingId, at(5));
    expect(hold.statusAt(at(6))).toBe('booked');
    expect(hold.bookingId).toBe(bookingId);
    expect(hold.isLiveAt(at(6))).toBe(false);
    expect(() => hold.convert(randomUUID(), at(7))).toThrow(
      expect.objectContaining({ code: 'HOLD_EXPIRED' }),
    );
    expect(() => hold.release(at(7))).toThrow(expect.objectContaining({ code: 'HOLD_EXPIRED' }));
  });

  it('round-trips through its snapshot', () => {
    const hold = aHold({ now });
    expect(Hold.fromSnapshot(hold.toSnapshot()).toSnapshot()).toEqual(hold.toSnapshot());
  });
});

describe('Hold rooms', () => {
  it('keeps the room it was placed with, through its snapshot; none by default', () => {
    const room = { email: 'room-1@contoso.com', name: 'One' };
    const hold = aHold({ room });
    expect(hold.room).toEqual(room);
    expect(Hold.fromSnapshot(hold.toSnapshot()).room).toEqual(room);
    expect(aHold().room).toBeNull();
  });
});
