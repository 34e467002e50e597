// Time zone arithmetic for Graph's dateTimeTimeZone values: Windows names (what Exchange stores) and
// IANA names (which Graph also accepts), without a date library.
import windowsIana from 'windows-iana';

/** Resolves a Windows or IANA zone name to an IANA name Intl understands; undefined when unknown. */
export function toIana(zone: string): string | undefined {
  if (!zone) return undefined;
  if (resolved.has(zone)) return resolved.get(zone);
  const iana = resolve(zone);
  if (resolved.size < 1_000) resolved.set(zone, iana);
  return iana;
}

/** Zone names as resolved, by the name asked for (a handful in a run, every event read asks again; bounded). */
const resolved = new Map<string, string | undefined>();

function resolve(zone: string): string | undefined {
  if (/^utc$/i.test(zone) || zone === 'Etc/UTC' || /^GMT$/i.test(zone)) return 'UTC';
  const fromWindows = windowsIana.findIana(zone);
  if (fromWindows && fromWindows.length > 0) return fromWindows[0];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

export function isKnownZone(zone: string): boolean {
  return toIana(zone) !== undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(iana: string): Intl.DateTimeFormat {
  let f = formatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(iana, f);
  }
  return f;
}

/** Wall-clock parts of an instant in a zone. */
function wallClock(ms: number, iana: string) {
  if (iana === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts = Object.fromEntries(
    formatter(iana)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: +parts.year,
    month: +parts.month,
    day: +parts.day,
    hour: +parts.hour,
    minute: +parts.minute,
    second: +parts.second,
  };
}

function offsetMs(ms: number, iana: string): number {
  const w = wallClock(ms, iana);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Graph's local dateTime ("2026-12-01T09:00:00.0000000", no offset) in `zone` → epoch ms. */
export function zonedToEpoch(dateTime: string, zone: string): number {
  const iana = toIana(zone) ?? 'UTC';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?/.exec(dateTime);
  if (!m) return NaN;
  const naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // A literal offset in the string wins over the zone (Graph tolerates "Z" in dateTime with timeZone UTC).
  const tail = dateTime.slice(m[0].length);
  const off = /^(Z|[+-]\d{2}:?\d{2})$/.exec(tail);
  if (off) {
    if (off[1] === 'Z') return naive;
    const sign = off[1][0] === '-' ? -1 : 1;
    const digits = off[1].slice(1).replace(':', '');
    return naive - sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  if (iana === 'UTC') return naive;
  let guess = naive - offsetMs(naive, iana);
  guess = naive - offsetMs(guess, iana);
  return guess;
}

/** Epoch ms → Graph's local dateTime string in `zone`, with the seven fractional digits Graph writes. */
export function epochToZoned(ms: number, zone: string): string {
  const iana = toIana(zone) ?? 'UTC';
  const w = wallClock(ms, iana);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}.0000000`;
}

/** Reads `Prefer: outlook.timezone="…"` (the header may carry several comma-separated preferences). */
export function preferredTimeZone(prefer: string | string[] | undefined): string | undefined {
  const all = [prefer ?? []].flat().join(',');
  const m = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(all) ?? /outlook\.timezone\s*=\s*([^,;\s]+)/i.exec(all);
  return m?.[1];
}
