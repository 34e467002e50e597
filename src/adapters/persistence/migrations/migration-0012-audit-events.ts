// The audit trail of each workspace's access (API keys, consent, member connections and status, webhook
// endpoints). The checks repeat what the domain says an event is; the index serves the newest-first pages
// of one workspace, the other the purge of events past their retention.
import { Migration } from '@mikro-orm/migrations';

// Written out, not imported from the domain: a migration that ran must never change; new types get a new one.
const TYPES = [
  'api_key.issued',
  'api_key.revoked',
  'admin_consent.granted',
  'admin_consent.revoked',
  'member.added',
  'member.status_changed',
  'member.connected',
  'member.disconnected',
  'member.connection_revoked',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
];

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export class Migration0012AuditEvents extends Migration {
  override name = '0012-audit-events';

  override up(): void {
    this.addSql(`create table audit_events (
      id uuid primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      type text not null check (type in (${list(TYPES)})),
      actor_type text not null check (actor_type in ('api_key', 'operator', 'microsoft_account', 'service')),
      actor_id text null check (length(actor_id) between 1 and 200),
      actor_name text null check (length(actor_name) <= 400),
      client_address inet null,
      object_type text not null check (object_type in ('api_key', 'microsoft_tenant', 'member', 'webhook_endpoint')),
      object_id text not null check (length(object_id) between 1 and 200),
      details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
      occurred_at timestamptz not null,
      check ((actor_type in ('api_key', 'microsoft_account')) = (actor_id is not null)),
      check (actor_type = 'microsoft_account' or actor_name is null),
      check (actor_type <> 'service' or client_address is null)
    )`);
    this.addSql(
      'create index audit_events_workspace_page_idx on audit_events (workspace_id, occurred_at desc, id desc)',
    );
    this.addSql('create index audit_events_occurred_at_idx on audit_events (occurred_at)');
  }

  override down(): void {
    this.addSql('drop table audit_events');
  }
}
