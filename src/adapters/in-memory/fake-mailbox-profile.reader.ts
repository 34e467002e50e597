// Mailboxes for fast tests of the sign-in: the profile each access token reads.
import { MailboxProfileReader, type MailboxProfile } from '@application/ports/mailbox-profile.reader.js';

export class FakeMailboxProfileReader extends MailboxProfileReader {
  readonly profiles = new Map<string, MailboxProfile>();
  /** Set to make the read fail as Graph would (throttled, refused). */
  failure: Error | null = null;

  async read(accessToken: string): Promise<MailboxProfile> {
    if (this.failure) throw this.failure;
    const profile = this.profiles.get(accessToken);
    if (!profile) throw new Error(`no mailbox for token ${accessToken}`);
    return { ...profile };
  }
}
