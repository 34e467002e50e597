// Request counters of the HTTP rate limits, shared by every instance on one PostgreSQL server: one row per
// limited key (a credential's hash or a client address) and its current fixed window.
import { Migration } from '@mikro-orm/migrations';

export class Migration0013RateLimitCounters extends Migration {
  override name = '0013-rate-limit-counters';

  override up(): void {
    this.addSql(`create table rate_limit_counters (
      key text primary key,
      count integer not null,
      window_ends_at timestamptz not null
    )`);
    // The purge deletes by window end.
    this.addSql(
      'create index rate_limit_counters_window_ends_at_idx on rate_limit_counters (window_ends_at)',
    );
  }

  override down(): void {
    this.addSql('drop table rate_limit_counters');
  }
}
