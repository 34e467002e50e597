// Holds placed by a booking page carry their holder (the digest of the page session that placed them), so
// that a page session keeps at most one live hold: placing the next one releases the one before. The
// partial index finds a holder's live holds; API holds have no holder.
import { Migration } from '@mikro-orm/migrations';

export class Migration0030HoldHolders extends Migration {
  override name = '0030-hold-holders';

  override up(): void {
    this.addSql('alter table holds add column holder text null');
    this.addSql(
      `create index holds_holder_idx on holds (workspace_id, holder) where state = 'held' and holder is not null`,
    );
  }

  override down(): void {
    this.addSql('drop index holds_holder_idx');
    this.addSql('alter table holds drop column holder');
  }
}
