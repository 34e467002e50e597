// An Idempotency-Key survives a crashed instance. A running request holds its key by a short lease that it
// renews (owner + leased_until) instead of for a fixed two minutes; and a booking records the key of the
// request that made it, in the transaction that inserts it, so that a retry whose first request died after
// its commit answers with that booking. The hash is of the key with its workspace, endpoint and body.
import { Migration } from '@mikro-orm/migrations';

export class Migration0016IdempotencyLeases extends Migration {
  override name = '0016-idempotency-leases';

  override up(): void {
    this.addSql(`alter table idempotency_keys
      add column owner text null,
      add column leased_until timestamptz null`);
    // Requests running during the upgrade keep the two minutes they were given.
    this.addSql(
      `update idempotency_keys set leased_until = created_at + interval '2 minutes' where state = 'running'`,
    );
    this.addSql('alter table bookings add column idempotency_key_hash text null');
    this
      .addSql(`create unique index bookings_idempotency_key_uq on bookings (workspace_id, idempotency_key_hash)
      where idempotency_key_hash is not null`);
    // For the purge, which forgets a booking's key once its 24 hours are over.
    this.addSql(`create index bookings_idempotency_key_created_idx on bookings (created_at)
      where idempotency_key_hash is not null`);
  }

  override down(): void {
    this.addSql('drop index bookings_idempotency_key_created_idx');
    this.addSql('drop index bookings_idempotency_key_uq');
    this.addSql('alter table bookings drop column idempotency_key_hash');
    this.addSql('alter table idempotency_keys drop column owner, drop column leased_until');
  }
}
