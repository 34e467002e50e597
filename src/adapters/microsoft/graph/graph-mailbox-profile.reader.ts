// Reads a freshly connected mailbox: its addresses, its time zone (Windows names mapped to IANA with the
// CLDR windowsZones table), its Outlook working hours and whether Teams meetings can be created from its
// calendar.
import { findIana } from 'windows-iana';
import { usableWorkingHours, type WorkingHours } from '@domain/availability/working-hours.js';
import { MailboxProfileReader, type MailboxProfile } from '@application/ports/mailbox-profile.reader.js';
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { GraphClients } from './graph-clients.js';
import { microsoftError } from '../microsoft-failure-classifier.js';

function isIana(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/**
 * Mailbox zones are Windows names ("W. Europe Standard Time"), sometimes already IANA, and sometimes a
 * custom zone ("Customized Time Zone") no table knows: then null, and the caller falls back (UTC).
 */
export function toIanaTimeZone(...candidates: (string | null | undefined)[]): string | null {
  for (const name of candidates) {
    if (!name) continue;
    if (isIana(name)) return name;
    const found = findIana(name)[0];
    if (found) return found;
  }
  return null;
}

const WEEKDAY: Record<string, string> = {
  monday: 'mon',
  tuesday: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  friday: 'fri',
  saturday: 'sat',
  sunday: 'sun',
};

/** Graph's time of day ("08:30:00.0000000") → "08:30"; seconds round the span inwards. */
function wallTime(value: unknown, edge: 'start' | 'end'): string | null {
  const m = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value) : null;
  if (!m) return null;
  let minutes = Number(m[1]) * 60 + Number(m[2]);
  if (edge === 'start' && Number(m[3] ?? 0) > 0) minutes += 1;
  // An end at midnight is the end of the day.
  if (edge === 'end' && minutes === 0) minutes = 1440;
  if (minutes > 1440) return null;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * mailboxSettings.workingHours (`daysOfWeek`, `startTime`, `endTime`, `timeZone.name` — a Windows name,
 * IANA, or a custom zone) in the domain's words; null when Outlook gave none that a weekly span can say.
 */
export function toWorkingHours(raw: unknown): WorkingHours | null {
  if (!raw || typeof raw !== 'object') return null;
  const w = raw as {
    daysOfWeek?: unknown;
    startTime?: unknown;
    endTime?: unknown;
    timeZone?: { name?: unknown };
  };
  const days = Array.isArray(w.daysOfWeek)
    ? w.daysOfWeek.map((d) => WEEKDAY[String(d).toLowerCase()]).filter((d): d is string => !!d)
    : [];
  const start = wallTime(w.startTime, 'start');
  const end = wallTime(w.endTime, 'end');
  if (!start || !end) return null;
  const zoneName = typeof w.timeZone?.name === 'string' ? w.timeZone.name : null;
  return usableWorkingHours({ days, start, end, timeZone: toIanaTimeZone(zoneName) });
}

export class GraphMailboxProfileReader extends MailboxProfileReader {
  constructor(private readonly clients: GraphClients) {
    super();
  }

  async read(accessToken: string): Promise<MailboxProfile> {
    const client = this.clients.withToken(accessToken);
    try {
      const [me, settings, calendar] = await Promise.all([
        client.api('/me').select(['id', 'mail', 'userPrincipalName']).get(),
        client.api('/me/mailboxSettings').get(),
        client.api('/me/calendar').get(),
      ]);
      const windows: string | null = settings?.timeZone ?? null;
      return {
        mail: me.mail ?? null,
        userPrincipalName: me.userPrincipalName,
        windowsTimeZone: windows,
        timeZone: toIanaTimeZone(windows, settings?.workingHours?.timeZone?.name),
        teamsEnabled: (calendar.allowedOnlineMeetingProviders ?? []).includes('teamsForBusiness'),
        workingHours: toWorkingHours(settings?.workingHours),
      };
    } catch (error) {
      if (error instanceof GraphError) {
        throw microsoftError(`Graph answered ${error.statusCode} ${error.code}`, {
          graphStatus: error.statusCode,
          error:
            error.statusCode >= 500 || error.statusCode === 429
              ? 'temporarily_unavailable'
              : (error.code ?? undefined),
        });
      }
      throw microsoftError(error instanceof Error ? error.message : String(error), {
        error: 'temporarily_unavailable',
      });
    }
  }
}
