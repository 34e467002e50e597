// Holds: a start kept for a guest for up to 15 minutes. The overlap rule with bookings is checked under the
// host's write lock (an exclusion constraint cannot span two tables, nor forget a hold when it expires); the
// GiST index finds a host's holds by time range for that check and for the slots read, and the expiry
// index serves the cleanup job.
import { Migration } from '@mikro-orm/migrations';

export class Migration0027Holds extends Migration {
  override name = '0027-holds';

  override up(): void {
    this.addSql(`create table holds (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      event_type_id uuid not null,
      host_id uuid not null references members (id) on delete cascade,
      state text not null check (state in ('held', 'released', 'booked')),
      start_at timestamptz not null,
      end_at timestamptz not null check (end_at > start_at),
      buffer_before_minutes integer not null check (buffer_before_minutes >= 0),
      buffer_after_minutes integer not null check (buffer_after_minutes >= 0),
      blocked tstzrange not null,
      time_zone text not null,
      expires_at timestamptz not null check (expires_at > created_at),
      booking_id uuid null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((state = 'booked') = (booking_id is not null))
    )`);
    this.addSql(
      `create index holds_host_blocked_idx on holds using gist (host_id, blocked) where state = 'held'`,
    );
    this.addSql('create index holds_expires_idx on holds (expires_at)');
  }

  override down(): void {
    this.addSql('drop table holds');
  }
}
