// Microsoft sign-in: member ↔ account binding, connections, tenant consent, OAuth states, the encrypted
// token vault, and the domain-event outbox that feeds outbound webhooks.
import { Migration } from '@mikro-orm/migrations';

export class Migration0003MicrosoftConnections extends Migration {
  override name = '0003-microsoft-connections';

  override up(): void {
    this.addSql('alter table members add column microsoft_user_id text null');
    this.addSql(
      'create unique index members_workspace_microsoft_user_uq on members (workspace_id, microsoft_user_id) where microsoft_user_id is not null',
    );
    this.addSql(`create table microsoft_connections (
      member_id uuid primary key references members (id) on delete cascade,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      user_id text not null,
      tenant_id text not null,
      home_account_id text not null,
      mailbox text not null,
      time_zone text null,
      teams_enabled boolean not null,
      status text not null check (status in ('connected', 'reauthorization_required', 'revoked')),
      status_reason text null,
      connected_at timestamptz not null,
      last_sign_in_at timestamptz not null,
      status_changed_at timestamptz not null
    )`);
    this.addSql('create index microsoft_connections_workspace_idx on microsoft_connections (workspace_id)');
    this.addSql('create index microsoft_connections_tenant_idx on microsoft_connections (tenant_id)');
    this.addSql(`create table tenant_consents (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      tenant_id text null,
      status text not null check (status in ('none', 'admin_required', 'granted', 'revoked')),
      grant_type text null check (grant_type in ('admin', 'user')),
      scopes jsonb not null default '[]',
      granted_at timestamptz null,
      granted_by text null,
      revoked_at timestamptz null,
      status_reason text null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create table authorization_states (
      id text primary key,
      purpose text not null check (purpose in ('member_connection', 'admin_consent')),
      workspace_id uuid not null references workspaces (id) on delete cascade,
      member_id uuid null references members (id) on delete cascade,
      return_url text not null,
      code_verifier text null,
      nonce text null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz null
    )`);
    this.addSql('create index authorization_states_expiry_idx on authorization_states (expires_at)');
    this.addSql(`create table microsoft_token_caches (
      member_id uuid not null references members (id) on delete cascade,
      home_account_id text not null,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      key_id text not null,
      iv bytea not null,
      tag bytea not null,
      ciphertext bytea not null,
      updated_at timestamptz not null,
      primary key (member_id, home_account_id)
    )`);
    this.addSql(`create table domain_events (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      type text not null,
      data jsonb not null,
      occurred_at timestamptz not null,
      dispatched_at timestamptz null
    )`);
    this.addSql(
      'create index domain_events_pending_idx on domain_events (occurred_at) where dispatched_at is null',
    );
  }

  override down(): void {
    this.addSql('drop table domain_events');
    this.addSql('drop table microsoft_token_caches');
    this.addSql('drop table authorization_states');
    this.addSql('drop table tenant_consents');
    this.addSql('drop table microsoft_connections');
    this.addSql('alter table members drop column microsoft_user_id');
  }
}
