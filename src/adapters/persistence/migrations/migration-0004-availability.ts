// Availability: members' policies, event types and their hosts. Composite foreign keys keep a policy and
// every host in the member's own workspace; slugs are unique per workspace.
import { Migration } from '@mikro-orm/migrations';

export class Migration0004Availability extends Migration {
  override name = '0004-availability';

  override up(): void {
    this.addSql('create unique index members_id_workspace_uq on members (id, workspace_id)');
    this.addSql(`create table availability_policies (
      member_id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      time_zone text not null,
      weekly jsonb not null check (jsonb_typeof(weekly) = 'array'),
      overrides jsonb not null check (jsonb_typeof(overrides) = 'array'),
      buffer_before_minutes integer not null check (buffer_before_minutes between 0 and 720),
      buffer_after_minutes integer not null check (buffer_after_minutes between 0 and 720),
      minimum_notice_minutes integer not null check (minimum_notice_minutes >= 0),
      max_days_ahead integer null check (max_days_ahead > 0),
      busy_statuses jsonb not null check (jsonb_typeof(busy_statuses) = 'array'),
      extra_calendars jsonb not null check (jsonb_typeof(extra_calendars) = 'array' and jsonb_array_length(extra_calendars) <= 50),
      updated_at timestamptz not null,
      foreign key (member_id, workspace_id) references members (id, workspace_id) on delete cascade
    )`);
    this.addSql('create index availability_policies_workspace_idx on availability_policies (workspace_id)');
    this.addSql(`create table event_types (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null,
      duration_minutes integer not null check (duration_minutes between 5 and 720),
      slot_interval_minutes integer null check (slot_interval_minutes between 5 and 720),
      location_kind text not null check (location_kind in ('teams', 'in_person', 'phone')),
      location_value text null,
      assignment text not null check (assignment in ('single', 'round_robin')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((location_kind = 'teams') = (location_value is null)),
      unique (id, workspace_id)
    )`);
    this.addSql('create unique index event_types_workspace_slug_uq on event_types (workspace_id, slug)');
    this.addSql('create index event_types_workspace_page_idx on event_types (workspace_id, created_at, id)');
    this.addSql(`create table event_type_hosts (
      event_type_id uuid not null,
      member_id uuid not null,
      workspace_id uuid not null,
      position integer not null check (position >= 0),
      primary key (event_type_id, member_id),
      unique (event_type_id, position),
      foreign key (event_type_id, workspace_id) references event_types (id, workspace_id) on delete cascade,
      foreign key (member_id, workspace_id) references members (id, workspace_id) on delete cascade
    )`);
    this.addSql('create index event_type_hosts_member_idx on event_type_hosts (member_id)');
  }

  override down(): void {
    this.addSql('drop table event_type_hosts');
    this.addSql('drop table event_types');
    this.addSql('drop table availability_policies');
    this.addSql('drop index members_id_workspace_uq');
  }
}
