// Bookings, with the invariant the domain states most loudly enforced by the database: no two confirmed
// bookings of one host overlap (buffers included) — an exclusion constraint over (host, time range) with
// btree_gist, on PGlite and PostgreSQL alike. And the calendar-sync outbox.
import { Migration } from '@mikro-orm/migrations';

export class Migration0007Bookings extends Migration {
  override name = '0007-bookings';

  override up(): void {
    this.addSql('create extension if not exists btree_gist');
    this.addSql(`create table bookings (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      event_type_id uuid not null,
      host_id uuid not null references members (id) on delete restrict,
      status text not null check (status in ('confirmed', 'cancelled')),
      start_at timestamptz not null,
      end_at timestamptz not null check (end_at > start_at),
      buffer_before_minutes integer not null check (buffer_before_minutes >= 0),
      buffer_after_minutes integer not null check (buffer_after_minutes >= 0),
      blocked tstzrange not null,
      guest jsonb not null,
      note text null,
      title text not null,
      location jsonb not null,
      warnings jsonb not null default '[]',
      calendar jsonb not null,
      calendar_event_id text null,
      cancelled_by text null check (cancelled_by in ('guest', 'host')),
      cancellation_reason text null,
      announced boolean not null default false,
      reminder_sent_at timestamptz null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint bookings_no_overlap exclude using gist (host_id with =, blocked with &&) where (status = 'confirmed')
    )`);
    this.addSql('create index bookings_workspace_start_idx on bookings (workspace_id, start_at, id)');
    this.addSql(
      'create index bookings_event_type_host_idx on bookings (workspace_id, event_type_id, host_id, created_at)',
    );
    this.addSql(
      'create index bookings_calendar_event_idx on bookings (workspace_id, host_id, calendar_event_id)',
    );
    this.addSql(
      `create index bookings_reminder_idx on bookings (start_at) where status = 'confirmed' and reminder_sent_at is null`,
    );
    this.addSql(`create table calendar_sync_queue (
      booking_id uuid primary key references bookings (id) on delete cascade,
      workspace_id uuid not null,
      due_at timestamptz not null,
      attempts integer not null default 0,
      generation integer not null default 0,
      locked_until timestamptz null,
      last_error text null
    )`);
    this.addSql('create index calendar_sync_queue_due_idx on calendar_sync_queue (due_at)');
  }

  override down(): void {
    this.addSql('drop table calendar_sync_queue');
    this.addSql('drop table bookings');
  }
}
