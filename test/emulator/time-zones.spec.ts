// The emulator's zone arithmetic: Graph's local dateTime strings in Windows and IANA zones, UTC's short way
// agreeing with the general one, across a DST change.
import { epochToZoned, isKnownZone, toIana, zonedToEpoch } from '@emulator/time-zones.js';

describe('emulator time zones', () => {
  it('writes and reads UTC local times with seven fractional digits', () => {
    const ms = Date.UTC(2026, 11, 31, 23, 59, 58);
    expect(epochToZoned(ms, 'UTC')).toBe('2026-12-31T23:59:58.0000000');
    expect(epochToZoned(ms, 'Etc/UTC')).toBe('2026-12-31T23:59:58.0000000');
    expect(zonedToEpoch('2026-12-31T23:59:58.0000000', 'UTC')).toBe(ms);
  });

  it('agrees with Intl for a zone with daylight saving time, by its Windows and its IANA name', () => {
    // 29 March 2026: Paris goes from +01:00 to +02:00 at 01:00 UTC.
    const before = Date.UTC(2026, 2, 29, 0, 30);
    const after = Date.UTC(2026, 2, 29, 1, 30);
    for (const zone of ['Romance Standard Time', 'Europe/Paris']) {
      expect(epochToZoned(before, zone)).toBe('2026-03-29T01:30:00.0000000');
      expect(epochToZoned(after, zone)).toBe('2026-03-29T03:30:00.0000000');
      expect(zonedToEpoch('2026-03-29T03:30:00.0000000', zone)).toBe(after);
      expect(zonedToEpoch('2026-03-29T01:30:00.0000000', zone)).toBe(before);
    }
  });

  it('knows Windows and IANA names, every time it is asked, and no made-up one', () => {
    for (let i = 0; i < 3; i++) {
      expect(toIana('Pacific Standard Time')).toBe('America/Los_Angeles');
      expect(toIana('Asia/Tokyo')).toBe('Asia/Tokyo');
      expect(isKnownZone('Mars/Olympus_Mons')).toBe(false);
    }
  });
});
