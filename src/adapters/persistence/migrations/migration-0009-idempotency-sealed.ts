// Idempotency records keep the first response sealed (AES-256-GCM, the TOKEN_ENCRYPTION_KEY keys) instead of
// as plain JSON: those responses carry API keys and webhook signing secrets. Responses stored in clear
// before this migration are deleted with their records (a retry of such a request within its 24 hours
// runs again instead of replaying): keeping them would keep the secrets.
import { Migration } from '@mikro-orm/migrations';

export class Migration0009IdempotencySealed extends Migration {
  override name = '0009-idempotency-sealed';

  override up(): void {
    this.addSql(`delete from idempotency_keys where state = 'done'`);
    this.addSql(`alter table idempotency_keys
      drop column response_body,
      add column response_key_id text null,
      add column response_iv bytea null,
      add column response_tag bytea null,
      add column response_ciphertext bytea null`);
  }

  override down(): void {
    this.addSql(`delete from idempotency_keys where state = 'done'`);
    this.addSql(`alter table idempotency_keys
      drop column response_key_id,
      drop column response_iv,
      drop column response_tag,
      drop column response_ciphertext,
      add column response_body jsonb null`);
  }
}
