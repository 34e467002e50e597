// Rooms: an event type's room pool (its rooms in order, and whether a start needs one), as one jsonb value
// the domain checks (room-pool.ts); null for none.
import { Migration } from '@mikro-orm/migrations';

export class Migration0029Rooms extends Migration {
  override name = '0029-rooms';

  override up(): void {
    this.addSql(`alter table event_types add column rooms jsonb null`);
  }

  override down(): void {
    this.addSql(`alter table event_types drop column rooms`);
  }
}
