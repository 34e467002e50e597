// The one rule for time zones the API takes (a guest's, an availability policy's, the zone slots are
// written in): an IANA name the runtime's time-zone data knows — matched case-insensitively, links
// included — stored and answered as the canonical ID that data gives it (`europe/berlin` → `Europe/Berlin`,
// `US/Eastern` → `America/New_York`), the same spelling mailbox zones get. Offsets (`+02:00`) are not
// zones: they know no daylight saving time.

export const TIME_ZONE_RULE =
  'must be an IANA time zone name, e.g. Europe/Paris (an offset such as +02:00 is not one)';

/** Canonical IDs by lower-cased name; only real zones get in, so it stays as small as the zone list. */
const canonical = new Map<string, string>();

/** The canonical ID of the zone `name` names, or null when it is no IANA zone. */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
  const key = name.toLowerCase();
  const known = canonical.get(key);
  if (known !== undefined) return known;
  let id: string;
  try {
    id = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  // Intl takes offsets as zones ("+02:00", "+0200", "-05"); IANA names start with a letter.
  if (!/^[A-Za-z]/.test(name) || !/^[A-Za-z]/.test(id)) return null;
  canonical.set(key, id);
  return id;
}
