// The shapes of booking questions and answers in requests and responses. Their rules (kinds, lengths,
// options, what an answer must be) are the domain's (booking-question.ts): the DTOs only describe them.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { IsArray, IsObject, IsOptional } from 'class-validator';
import {
  MAX_LONG_TEXT_ANSWER_LENGTH,
  MAX_OPTION_LENGTH,
  MAX_QUESTION_ID_LENGTH,
  MAX_QUESTION_LABEL_LENGTH,
  MAX_QUESTION_OPTIONS,
  MAX_QUESTIONS,
  MAX_TEXT_ANSWER_LENGTH,
  QUESTION_KINDS,
} from '@domain/event-type/booking-question.js';

export class BookingQuestionDto {
  @ApiProperty({
    example: 'company',
    maxLength: MAX_QUESTION_ID_LENGTH,
    description: 'Kebab-case, unique within the event type: the key of its answer.',
  })
  id!: string;

  @ApiProperty({ enum: QUESTION_KINDS, example: 'text' }) kind!: string;

  @ApiProperty({ example: 'Company', minLength: 1, maxLength: MAX_QUESTION_LABEL_LENGTH }) label!: string;

  @ApiProperty({ example: true }) required!: boolean;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    maxItems: MAX_QUESTION_OPTIONS,
    description: `single_choice and multiple_choice only (required there): 1 to ${MAX_QUESTION_OPTIONS} different texts of at most ${MAX_OPTION_LENGTH} characters. Answered null for the other kinds.`,
    example: null,
  })
  options?: string[] | null;
}

const QUESTIONS_DOC = `At most ${MAX_QUESTIONS}, asked in this order on the booking page and checked against each booking's answers. An invalid question is refused with VALIDATION_FAILED naming it (\`questions[2].label\`) and a code (QUESTION_ID_INVALID, QUESTION_ID_DUPLICATE, QUESTION_KIND_INVALID, QUESTION_LABEL_INVALID, QUESTION_REQUIRED_INVALID, QUESTION_OPTIONS_INVALID, QUESTION_INVALID, QUESTIONS_INVALID).`;

/** `questions` of an event type request: checked by the domain, question by question. */
export const QuestionsField = (patch = false) =>
  applyDecorators(
    ApiPropertyOptional({
      type: [BookingQuestionDto],
      maxItems: MAX_QUESTIONS,
      description: patch
        ? `Replaces every question ([] or null: none). ${QUESTIONS_DOC}`
        : `Default: none. ${QUESTIONS_DOC}`,
    }),
    IsOptional(),
    IsArray(),
  );

/** `answers` of a booking request: checked against the event type's questions by the domain. */
export const AnswersField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: {
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'boolean' }],
      },
      example: { company: 'Contoso', topics: ['Pricing'], phone: '+44 20 7946 0958', consent: true },
      description: `Keyed by question id. text (at most ${MAX_TEXT_ANSWER_LENGTH} characters), long_text (at most ${MAX_LONG_TEXT_ANSWER_LENGTH}), single_choice (one option) and phone (with its country code: E.164, stored as +4420…): a string; multiple_choice: a list of options; checkbox: true or false (a required checkbox must be true). An empty text or list, or null, is no answer. A missing required answer, an unknown question id, a wrong type, an option not offered, a too long text or a phone number that is not one → 400 VALIDATION_FAILED, each error naming the question by label and id (\`answers.<id>\`) with a code: ANSWER_REQUIRED, ANSWER_UNKNOWN_QUESTION, ANSWER_WRONG_TYPE, ANSWER_NOT_AN_OPTION, ANSWER_TOO_LONG, ANSWER_INVALID_PHONE, ANSWERS_INVALID.`,
    }),
    IsOptional(),
    IsObject(),
  );

export class AnswerDto {
  @ApiProperty({ example: 'company' }) questionId!: string;
  @ApiProperty({ example: 'Company', description: 'The question’s label when it was answered.' })
  label!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'boolean' }],
    example: 'Contoso',
    description:
      'A string; the options chosen (multiple_choice); true or false (checkbox); a phone number in E.164.',
  })
  value!: string | string[] | boolean;
}

export const ANSWERS_RESPONSE_DOC =
  'The guest’s answers to the event type’s questions, in the order asked (unanswered optional questions are absent); kept when the booking moves.';
