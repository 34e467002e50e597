// Calendar days in a time zone, with Intl only: which day an instant falls on, where a day starts, and the
// seven days of a week. Days are 'YYYY-MM-DD' keys counted on the calendar (never by adding 24 hours), so a
// week with a daylight-saving change still has seven days, each starting at its own local midnight.

const keyFormats = new Map();

function keyFormat(zone) {
  let format = keyFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    keyFormats.set(zone, format);
  }
  return format;
}

function parts(instant, zone) {
  const out = {};
  for (const part of keyFormat(zone).formatToParts(new Date(instant))) out[part.type] = part.value;
  return out;
}

/** The day an instant falls on in the zone: 'YYYY-MM-DD'. */
export function dayKey(instant, zone) {
  const p = parts(instant, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The zone's offset from UTC at an instant, in ms (local wall time = instant + offset). */
export function offsetAt(instant, zone) {
  const p = parts(instant, zone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

function keyToUtc(key) {
  const [y, m, d] = key.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function utcToKey(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day `n` calendar days after `key` (n may be negative). */
export function addDays(key, n) {
  return utcToKey(keyToUtc(key) + n * 86_400_000);
}

/** 1 = Monday … 7 = Sunday (ISO), as Intl's week info counts. */
export function isoWeekday(key) {
  const day = new Date(keyToUtc(key)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first day of the week holding `key`, weeks starting on `firstDay` (1 = Monday … 7 = Sunday). */
export function weekStart(key, firstDay = 1) {
  return addDays(key, -((isoWeekday(key) - firstDay + 7) % 7));
}

/** The seven day keys of the week starting on `start`. */
export function weekDays(start) {
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/**
 * The first instant of the day in the zone: local midnight, or the first minute after it where midnight
 * does not exist (zones that move their clocks at midnight).
 */
export function startOfDay(key, zone) {
  const midnight = keyToUtc(key);
  // Two passes settle the offset (it may differ between midnight and the first guess).
  let guess = midnight - offsetAt(midnight, zone);
  guess = midnight - offsetAt(guess, zone);
  if (dayKey(guess, zone) === key) {
    // A later-offset zone may also have an earlier instant on the same day (a repeated hour at midnight).
    const earlier = guess - 3_600_000;
    return dayKey(earlier, zone) === key ? earlier : guess;
  }
  // Midnight was skipped: the day starts when the clocks jump, at most a few hours later.
  let t = guess;
  while (dayKey(t, zone) !== key) t += 15 * 60_000;
  return t;
}

/** Slots ({ start, end } ISO strings) grouped by their start's day in the zone, in order. */
export function groupByDay(slots, zone) {
  const days = new Map();
  for (const slot of slots) {
    const key = dayKey(Date.parse(slot.start), zone);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(slot);
  }
  return days;
}

/** The zone the browser is in, when it names one this page can use; else UTC. */
export function detectZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && isZone(zone) ? zone : 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isZone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the browser knows, for the zone picker (the detected one first if missing). */
export function zoneList(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
  if (!list.includes(current)) list.unshift(current);
  return list;
}

/** The first day of the week in the browser's locale (1 = Monday … 7 = Sunday), Monday when unknown. */
export function localeFirstDay(locale) {
  try {
    const info = new Intl.Locale(locale);
    const week = typeof info.getWeekInfo === 'function' ? info.getWeekInfo() : info.weekInfo;
    return week && week.firstDay >= 1 && week.firstDay <= 7 ? week.firstDay : 1;
  } catch {
    return 1;
  }
}
