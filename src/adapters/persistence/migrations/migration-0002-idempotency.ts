// Idempotency-Key records: one per (workspace + endpoint, key), kept 24 hours.
import { Migration } from '@mikro-orm/migrations';

export class Migration0002Idempotency extends Migration {
  override name = '0002-idempotency';

  override up(): void {
    this.addSql(`create table idempotency_keys (
      scope text not null,
      key text not null,
      fingerprint text not null,
      state text not null check (state in ('running', 'done')),
      response_status integer null,
      response_body jsonb null,
      created_at timestamptz not null,
      primary key (scope, key)
    )`);
    this.addSql('create index idempotency_keys_created_idx on idempotency_keys (created_at)');
  }

  override down(): void {
    this.addSql('drop table idempotency_keys');
  }
}
