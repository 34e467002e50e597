// Collective event types: a booking takes the time of every one of its hosts. `booking_hosts` holds the time
// each confirmed booking takes from each host (the organiser too, each host with their own buffers), and its
// exclusion constraint refuses an overlap for any host, whichever request or instance races: a co-host's
// time meets a single booking of theirs in this table (bookings_no_overlap still guards the organiser's row).
// Rows exist only while the booking is confirmed. `bookings.co_hosts` keeps the co-hosts and their buffers.
// booking_hosts has no workspace-change triggers of its own (0031): it is written only in the transaction that
// writes its booking's row, whose triggers tell the workspace.
import { Migration } from '@mikro-orm/migrations';

export class Migration0028Collective extends Migration {
  override name = '0028-collective';

  override up(): void {
    this.addSql('alter table event_types drop constraint event_types_assignment_check');
    this.addSql(`alter table event_types add constraint event_types_assignment_check
      check (assignment in ('single', 'round_robin', 'collective'))`);
    this.addSql(`alter table bookings add column co_hosts jsonb not null default '[]'`);
    this.addSql(`create table booking_hosts (
      booking_id uuid not null references bookings (id) on delete cascade,
      host_id uuid not null references members (id) on delete restrict,
      workspace_id uuid not null,
      event_type_id uuid not null,
      organiser boolean not null,
      start_at timestamptz not null,
      end_at timestamptz not null check (end_at > start_at),
      blocked tstzrange not null,
      primary key (booking_id, host_id),
      constraint booking_hosts_no_overlap exclude using gist (host_id with =, blocked with &&)
    )`);
    // The slots read finds a host's co-hosted time by this constraint's GiST index; the limits' read by this.
    this.addSql(
      'create index booking_hosts_event_type_idx on booking_hosts (workspace_id, event_type_id, host_id, start_at)',
    );
    this.addSql(`insert into booking_hosts
      (booking_id, host_id, workspace_id, event_type_id, organiser, start_at, end_at, blocked)
      select id, host_id, workspace_id, event_type_id, true, start_at, end_at, blocked
        from bookings where status = 'confirmed'`);
  }

  override down(): void {
    this.addSql('drop table booking_hosts');
    this.addSql('alter table bookings drop column co_hosts');
    this.addSql('alter table event_types drop constraint event_types_assignment_check');
    this.addSql(`alter table event_types add constraint event_types_assignment_check
      check (assignment in ('single', 'round_robin'))`);
  }
}
