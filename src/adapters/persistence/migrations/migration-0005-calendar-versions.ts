// A change counter per member's calendar: cached free/busy is valid only for the version it was read at.
import { Migration } from '@mikro-orm/migrations';

export class Migration0005CalendarVersions extends Migration {
  override name = '0005-calendar-versions';

  override up(): void {
    this.addSql(`create table calendar_versions (
      member_id uuid primary key references members (id) on delete cascade,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      version bigint not null default 0,
      changed_at timestamptz not null
    )`);
  }

  override down(): void {
    this.addSql('drop table calendar_versions');
  }
}
