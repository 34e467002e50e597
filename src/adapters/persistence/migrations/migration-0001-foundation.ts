// Workspaces, their API keys and members. Constraints back the domain's invariants.
import { Migration } from '@mikro-orm/migrations';

export class Migration0001Foundation extends Migration {
  override name = '0001-foundation';

  override up(): void {
    this.addSql(`create table workspaces (
      id uuid primary key,
      name text not null,
      return_url text not null,
      tenant_id text null,
      reminder_minutes integer not null default 60 check (reminder_minutes >= 0),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create table api_keys (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      hash text not null unique,
      prefix text not null,
      created_at timestamptz not null,
      revoked_at timestamptz null
    )`);
    this.addSql(`create index api_keys_workspace_idx on api_keys (workspace_id)`);
    this.addSql(`create table members (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      email text not null,
      display_name text not null,
      role text not null check (role in ('admin', 'member')),
      status text not null check (status in ('pending', 'active', 'disabled')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create unique index members_workspace_email_uq on members (workspace_id, lower(email))`);
    this.addSql(`create index members_workspace_page_idx on members (workspace_id, created_at, id)`);
  }

  override down(): void {
    this.addSql('drop table members');
    this.addSql('drop table api_keys');
    this.addSql('drop table workspaces');
  }
}
