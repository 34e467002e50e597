// Reads a freshly connected mailbox: its addresses, its time zone (Windows names mapped to IANA with the
// CLDR windowsZones table) and whether Teams meetings can be created from its calendar.
import { findIana } from 'windows-iana';
import { MailboxProfileReader, type MailboxProfile } from '@application/ports/mailbox-profile.reader.js';
import { MicrosoftError } from '@application/ports/identity-provider.js';
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { GraphClients } from './graph-clients.js';

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
      };
    } catch (error) {
      if (error instanceof GraphError) {
        throw new MicrosoftError(`Graph answered ${error.statusCode} ${error.code}`, {
          graphStatus: error.statusCode,
          error:
            error.statusCode >= 500 || error.statusCode === 429
              ? 'temporarily_unavailable'
              : (error.code ?? undefined),
        });
      }
      throw new MicrosoftError(error instanceof Error ? error.message : String(error), {
        error: 'temporarily_unavailable',
      });
    }
  }
}
