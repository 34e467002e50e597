// The delivery log keeps every finished attempt (start, duration, status or error), not only the last one.
// Deliveries made before it get their last recorded attempt as their log (its duration was not measured).
import { Migration } from '@mikro-orm/migrations';

export class Migration0010WebhookAttemptLog extends Migration {
  override name = '0010-webhook-attempt-log';

  override up(): void {
    this.addSql(`alter table webhook_deliveries add column attempt_log jsonb not null default '[]'::jsonb`);
    this.addSql(`update webhook_deliveries set attempt_log = jsonb_build_array(jsonb_build_object(
        'number', attempts,
        'startedAt', last_attempt_at,
        'durationMs', null,
        'responseStatus', last_response_status,
        'error', last_error))
      where last_attempt_at is not null and (last_response_status is not null or last_error is not null)`);
  }

  override down(): void {
    this.addSql('alter table webhook_deliveries drop column attempt_log');
  }
}
