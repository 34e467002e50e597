// Indexes for the hot paths as the data grows (issue 15, `npm run bench:scale`): the bookings list filtered
// by a host pages through that host's bookings by start, and `?start=` finds the bookings under way at that
// instant through their time range instead of reading every earlier booking of the workspace.
import { Migration } from '@mikro-orm/migrations';

export class Migration0023HotPathIndexes extends Migration {
  override name = '0023-hot-path-indexes';

  override up(): void {
    this.addSql('create index bookings_host_start_idx on bookings (host_id, start_at, id)');
    // The list's `?start=` is "ends after start": those that start from then on come from
    // bookings_workspace_start_idx in order, those already under way at `start` from this one.
    this.addSql(
      `create index bookings_workspace_during_idx on bookings using gist (workspace_id, tstzrange(start_at, end_at, '[)'))`,
    );
    // An endpoint lies in one workspace: told so, the planner stops estimating an endpoint's log at a
    // hundredth of its size and reads its newest page from webhook_deliveries_endpoint_page_idx in order,
    // instead of reading and sorting all of it.
    this.addSql(
      'create statistics if not exists webhook_deliveries_endpoint_workspace_stats (dependencies) on workspace_id, endpoint_id from webhook_deliveries',
    );
  }

  override down(): void {
    this.addSql('drop statistics if exists webhook_deliveries_endpoint_workspace_stats');
    this.addSql('drop index bookings_workspace_during_idx');
    this.addSql('drop index bookings_host_start_idx');
  }
}
