// A hold of an event type with rooms keeps a room as a booking does: the room (jsonb, as on bookings) and its
// address derived from it. A room is one claim across two tables, so, as for a host's time, the rule "no two
// claims on one room at overlapping meeting times" is checked under the room's advisory write lock by both
// writers (an exclusion constraint cannot span bookings and holds, nor forget a hold when it expires); the
// GiST index finds a room's live holds by time for that check and for the slots read.
import { Migration } from '@mikro-orm/migrations';

export class Migration0032HoldRooms extends Migration {
  override name = '0032-hold-rooms';

  override up(): void {
    this.addSql(`alter table holds
      add column room jsonb null,
      add column room_email text generated always as (lower(room->>'email')) stored`);
    this.addSql(`create index holds_room_idx on holds
      using gist (workspace_id, room_email, tstzrange(start_at, end_at, '[)'))
      where state = 'held' and room_email is not null`);
  }

  override down(): void {
    this.addSql('drop index holds_room_idx');
    this.addSql('alter table holds drop column room_email, drop column room');
  }
}
