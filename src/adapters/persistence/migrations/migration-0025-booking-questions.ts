// Booking questions: an event type's questions and a booking's answers, each a JSON list (the domain checks
// their shape; the database keeps them lists, and no more questions than the domain allows).
import { Migration } from '@mikro-orm/migrations';

export class Migration0025BookingQuestions extends Migration {
  override name = '0025-booking-questions';

  override up(): void {
    this.addSql(`alter table event_types add column questions jsonb not null default '[]'::jsonb,
      add constraint event_types_questions_list
        check (jsonb_typeof(questions) = 'array' and jsonb_array_length(questions) <= 20)`);
    this.addSql(`alter table bookings add column answers jsonb not null default '[]'::jsonb,
      add constraint bookings_answers_list
        check (jsonb_typeof(answers) = 'array' and jsonb_array_length(answers) <= 20)`);
  }

  override down(): void {
    this.addSql('alter table bookings drop constraint bookings_answers_list, drop column answers');
    this.addSql('alter table event_types drop constraint event_types_questions_list, drop column questions');
  }
}
