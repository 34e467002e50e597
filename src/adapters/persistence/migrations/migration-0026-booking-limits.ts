// Booking limits of an event type, per host: at most so many bookings a local day and a local week, and a
// minimum gap between two of them (0: none). The checks repeat the domain's ranges.
import { Migration } from '@mikro-orm/migrations';

export class Migration0026BookingLimits extends Migration {
  override name = '0026-booking-limits';

  override up(): void {
    this.addSql(`alter table event_types
      add column limit_per_day integer null check (limit_per_day between 1 and 100),
      add column limit_per_week integer null check (limit_per_week between 1 and 500),
      add column minimum_gap_minutes integer not null default 0 check (minimum_gap_minutes between 0 and 1440)`);
  }

  override down(): void {
    this.addSql(`alter table event_types
      drop column minimum_gap_minutes, drop column limit_per_week, drop column limit_per_day`);
  }
}
