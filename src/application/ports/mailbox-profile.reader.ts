// What kailenty reads from a freshly connected mailbox.
import type { WorkingHours } from '@domain/availability/working-hours.js';

export interface MailboxProfile {
  mail: string | null;
  userPrincipalName: string;
  /** IANA zone mapped from the mailbox's Windows zone; null when the name is unknown to the map. */
  timeZone: string | null;
  /** The Windows (or custom) zone name as Microsoft gave it. */
  windowsTimeZone: string | null;
  teamsEnabled: boolean;
  /** Outlook's working hours (mailboxSettings.workingHours); null when absent or not usable as they are. */
  workingHours: WorkingHours | null;
}

export abstract class MailboxProfileReader {
  /** Reads with the new account's own access token: the connection is not recorded yet. */
  abstract read(accessToken: string): Promise<MailboxProfile>;
}
