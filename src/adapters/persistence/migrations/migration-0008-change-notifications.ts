// Graph change notifications: one subscription per member (client state kept as a hash, the renewal
// schedule, the delta link) and the inbox the endpoints write to and the worker drains.
import { Migration } from '@mikro-orm/migrations';

export class Migration0008ChangeNotifications extends Migration {
  override name = '0008-change-notifications';

  override up(): void {
    this.addSql(`create table graph_subscriptions (
      member_id uuid primary key references members (id) on delete cascade,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      subscription_id text null unique,
      client_state_hash text null,
      status text not null check (status in ('active', 'failed', 'stopped')),
      expires_at timestamptz null,
      due_at timestamptz null,
      locked_until timestamptz null,
      delta_link text null,
      last_notification_at timestamptz null,
      rejected_notifications bigint not null default 0,
      failure_reason text null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (status <> 'active' or (subscription_id is not null and expires_at is not null))
    )`);
    this.addSql(
      'create index graph_subscriptions_due_idx on graph_subscriptions (due_at) where due_at is not null',
    );
    this.addSql(`create table graph_notification_inbox (
      id bigserial primary key,
      dedupe_key text not null unique,
      kind text not null check (kind in ('change', 'lifecycle')),
      subscription_id text not null,
      payload jsonb not null,
      received_at timestamptz not null,
      due_at timestamptz null,
      locked_until timestamptz null,
      attempts integer not null default 0,
      processed_at timestamptz null,
      last_error text null
    )`);
    this.addSql(
      'create index graph_notification_inbox_due_idx on graph_notification_inbox (due_at, id) where processed_at is null',
    );
    this.addSql(
      'create index graph_notification_inbox_processed_idx on graph_notification_inbox (processed_at) where processed_at is not null',
    );
  }

  override down(): void {
    this.addSql('drop table graph_notification_inbox');
    this.addSql('drop table graph_subscriptions');
  }
}
