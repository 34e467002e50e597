// The mailbox's Outlook working hours, learnt at each sign-in: a member who stored no availability is
// offered those hours (days, span, zone) instead of a fixed 09:00–17:00.
import { Migration } from '@mikro-orm/migrations';

export class Migration0017ConnectionWorkingHours extends Migration {
  override name = '0017-connection-working-hours';

  override up(): void {
    this.addSql('alter table microsoft_connections add column working_hours jsonb null');
  }

  override down(): void {
    this.addSql('alter table microsoft_connections drop column working_hours');
  }
}
