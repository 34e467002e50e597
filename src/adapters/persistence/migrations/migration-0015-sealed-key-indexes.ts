// Indexes on the key id of every sealed record, so that /health counts the records per key cheaply and
// `npm run keys:rotate` finds those under an older key without reading whole tables.
import { Migration } from '@mikro-orm/migrations';

export class Migration0015SealedKeyIndexes extends Migration {
  override name = '0015-sealed-key-indexes';

  override up(): void {
    this.addSql('create index microsoft_token_caches_key_idx on microsoft_token_caches (key_id)');
    this.addSql('create index webhook_endpoints_secret_key_idx on webhook_endpoints (secret_key_id)');
    this.addSql(
      'create index idempotency_keys_response_key_idx on idempotency_keys (response_key_id) where response_key_id is not null',
    );
  }

  override down(): void {
    this.addSql('drop index idempotency_keys_response_key_idx');
    this.addSql('drop index webhook_endpoints_secret_key_idx');
    this.addSql('drop index microsoft_token_caches_key_idx');
  }
}
