// Workspace change notifications: every statement that writes one of the tables the cached reads rest on
// (WorkspaceReadCache: slots, event type and booking reads) says which workspaces it touched on the
// `kailenty_workspace_changed` channel, delivered at commit to every listening instance; a TRUNCATE says `*`
// (every workspace). Statement-level triggers with transition tables: one notification per workspace per
// statement (PostgreSQL folds repeats within a transaction), however many rows a bulk write touches.
import { Migration } from '@mikro-orm/migrations';

export const WORKSPACE_CHANGED_CHANNEL = 'kailenty_workspace_changed';

/** Every table a cached read reads (the test `workspace-changes` checks that each has the triggers). */
export const WATCHED_TABLES = [
  'members',
  'microsoft_connections',
  'tenant_consents',
  'availability_policies',
  'calendar_versions',
  'graph_subscriptions',
  'event_types',
  'event_type_hosts',
  'bookings',
  'booking_hosts',
  'holds',
] as const;

export class Migration0031WorkspaceChanges extends Migration {
  override name = '0031-workspace-changes';

  override up(): void {
    this.addSql(`create function kailenty_workspace_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${WORKSPACE_CHANGED_CHANNEL}', w) from (select distinct workspace_id::text as w from changed) s;
        return null;
      end $$`);
    this.addSql(`create function kailenty_workspaces_truncated() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${WORKSPACE_CHANGED_CHANNEL}', '*');
        return null;
      end $$`);
    for (const table of WATCHED_TABLES) {
      for (const [event, transition] of [
        ['insert', 'new'],
        ['update', 'new'],
        ['delete', 'old'],
      ] as const) {
        this.addSql(
          `create trigger ${table}_${event}_notifies after ${event} on ${table} referencing ${transition} table as changed for each statement execute function kailenty_workspace_changed()`,
        );
      }
      this.addSql(
        `create trigger ${table}_truncate_notifies after truncate on ${table} for each statement execute function kailenty_workspaces_truncated()`,
      );
    }
  }

  override down(): void {
    for (const table of WATCHED_TABLES) {
      for (const event of ['insert', 'update', 'delete', 'truncate']) {
        this.addSql(`drop trigger if exists ${table}_${event}_notifies on ${table}`);
      }
    }
    this.addSql('drop function if exists kailenty_workspace_changed()');
    this.addSql('drop function if exists kailenty_workspaces_truncated()');
  }
}
