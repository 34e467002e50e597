// Outbound webhooks: product teams' endpoints (signing secrets encrypted at rest) and the delivery queue,
// which is also the delivery log. A composite foreign key keeps every delivery in its endpoint's workspace.
import { Migration } from '@mikro-orm/migrations';

export class Migration0006Webhooks extends Migration {
  override name = '0006-webhooks';

  override up(): void {
    this.addSql(`create table webhook_endpoints (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      url text not null check (url ~ '^https?://' and length(url) <= 2048),
      events jsonb not null check (jsonb_typeof(events) = 'array' and jsonb_array_length(events) between 1 and 8),
      secret_key_id text not null,
      secret_iv bytea not null,
      secret_tag bytea not null,
      secret_ciphertext bytea not null,
      created_at timestamptz not null,
      unique (id, workspace_id)
    )`);
    this.addSql(
      'create index webhook_endpoints_workspace_page_idx on webhook_endpoints (workspace_id, created_at, id)',
    );
    this.addSql(`create table webhook_deliveries (
      id uuid primary key,
      workspace_id uuid not null,
      endpoint_id uuid not null,
      event_id uuid not null,
      event_type text not null,
      event_occurred_at timestamptz not null,
      body text not null,
      status text not null check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null check (attempts >= 0),
      next_attempt_at timestamptz null,
      last_attempt_at timestamptz null,
      last_response_status integer null,
      last_error text null,
      created_at timestamptz not null,
      unique (endpoint_id, event_id),
      check ((status = 'pending') = (next_attempt_at is not null)),
      foreign key (endpoint_id, workspace_id) references webhook_endpoints (id, workspace_id) on delete cascade
    )`);
    this.addSql(
      `create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`,
    );
    this.addSql(
      'create index webhook_deliveries_endpoint_page_idx on webhook_deliveries (endpoint_id, created_at desc, id desc)',
    );
  }

  override down(): void {
    this.addSql('drop table webhook_deliveries');
    this.addSql('drop table webhook_endpoints');
  }
}
