// Public booking pages: an event type's page is off until switched on, and every booking gets a manage
// link (its token kept as a SHA-256 to find the booking, and sealed to write the link again) and the
// revision number its .ics file carries as SEQUENCE.
import { Migration } from '@mikro-orm/migrations';

export class Migration0019BookingPages extends Migration {
  override name = '0019-booking-pages';

  override up(): void {
    this.addSql('alter table event_types add column booking_page_enabled boolean not null default false');
    // Bookings made before this have no manage link (both null); every new one has both.
    this.addSql(`alter table bookings
      add column manage_token_hash text null,
      add column manage_token_sealed text null,
      add column sequence integer not null default 0 check (sequence >= 0),
      add constraint bookings_manage_token_both check ((manage_token_hash is null) = (manage_token_sealed is null))`);
    this.addSql('create unique index bookings_manage_token_hash_uq on bookings (manage_token_hash)');
  }

  override down(): void {
    this.addSql('drop index bookings_manage_token_hash_uq');
    this.addSql(`alter table bookings drop constraint bookings_manage_token_both,
      drop column sequence, drop column manage_token_sealed, drop column manage_token_hash`);
    this.addSql('alter table event_types drop column booking_page_enabled');
  }
}
