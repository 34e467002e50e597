// Rooms: an event type's room pool (its rooms in order, and whether a start needs one), as one jsonb value
// the domain checks (room-pool.ts), null for none; and the room a booking takes, with the rule the domain
// states for it: two confirmed bookings of a workspace never hold one room at overlapping meeting times
// (rooms take no buffers). The room's address is derived from the booking's room, so the two cannot differ.
import { Migration } from '@mikro-orm/migrations';

export class Migration0029Rooms extends Migration {
  override name = '0029-rooms';

  override up(): void {
    this.addSql(`alter table event_types add column rooms jsonb null`);
    this.addSql(`alter table bookings
      add column room jsonb null,
      add column room_email text generated always as (lower(room->>'email')) stored`);
    this.addSql(`alter table bookings add constraint bookings_room_no_overlap
      exclude using gist (workspace_id with =, room_email with =, tstzrange(start_at, end_at, '[)') with &&)
      where (status = 'confirmed' and room_email is not null)`);
  }

  override down(): void {
    this.addSql(`alter table bookings drop constraint bookings_room_no_overlap`);
    this.addSql(`alter table bookings drop column room_email, drop column room`);
    this.addSql(`alter table event_types drop column rooms`);
  }
}
