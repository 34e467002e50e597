// A booking's facts are numbered: each booking.* event carries its place in the booking's story
// (`sequence`, 1, 2, 3 …), the database refusing two events of one booking with the same number, and each
// webhook delivery knows it so that a booking's deliveries to an endpoint go out in that order.
import { Migration } from '@mikro-orm/migrations';

export class Migration0020BookingEventOrder extends Migration {
  override name = '0020-booking-event-order';

  override up(): void {
    this.addSql(`alter table domain_events
      add column booking_id uuid null,
      add column sequence integer null check (sequence >= 1),
      add constraint domain_events_booking_sequence_both check ((booking_id is null) = (sequence is null))`);
    this.addSql(
      'create unique index domain_events_booking_sequence_uq on domain_events (booking_id, sequence) where booking_id is not null',
    );
    // Events recorded before this get their numbers in the order they were recorded.
    this.addSql(`with numbered as (
        select id, (data->>'id')::uuid as booking_id,
          row_number() over (partition by data->>'id' order by occurred_at, id) as n
        from domain_events where type like 'booking.%' and data->>'id' is not null)
      update domain_events e set booking_id = numbered.booking_id, sequence = numbered.n
      from numbered where e.id = numbered.id`);
    this.addSql(
      `alter table bookings add column fact_sequence integer not null default 0 check (fact_sequence >= 0)`,
    );
    this.addSql(`update bookings b set fact_sequence = coalesce(
        (select max(e.sequence) from domain_events e where e.booking_id = b.id), 0)`);
    this.addSql(`alter table webhook_deliveries
      add column booking_id uuid null,
      add column sequence integer null`);
    this.addSql(`update webhook_deliveries d set booking_id = e.booking_id, sequence = e.sequence
      from domain_events e where e.id = d.event_id and e.booking_id is not null`);
    // The claim looks for an earlier pending delivery of the same booking to the same endpoint.
    this.addSql(`create index webhook_deliveries_booking_order_idx
      on webhook_deliveries (endpoint_id, booking_id, sequence) where status = 'pending' and booking_id is not null`);
    this.addSql(
      `create index domain_events_booking_undispatched_idx on domain_events (booking_id, sequence) where dispatched_at is null`,
    );
  }

  override down(): void {
    this.addSql('drop index domain_events_booking_undispatched_idx');
    this.addSql('drop index webhook_deliveries_booking_order_idx');
    this.addSql('alter table webhook_deliveries drop column sequence, drop column booking_id');
    this.addSql('alter table bookings drop column fact_sequence');
    this.addSql('drop index domain_events_booking_sequence_uq');
    this.addSql(`alter table domain_events drop constraint domain_events_booking_sequence_both,
      drop column sequence, drop column booking_id`);
  }
}
