// The questions an event type asks its guests, and the answers a booking gives them. Both are checked here:
// a question's shape when the event type is defined, a booking's answers against the questions when it is
// made. Every refusal names its place (`questions[2].label`, `answers.company`) and carries a stable code.
import { DomainError, type FieldError } from '../shared/domain-error.js';

export const QUESTION_KINDS = [
  'text',
  'long_text',
  'single_choice',
  'multiple_choice',
  'phone',
  'checkbox',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
const CHOICE_KINDS: readonly QuestionKind[] = ['single_choice', 'multiple_choice'];

export const MAX_QUESTIONS = 20;
export const MAX_QUESTION_ID_LENGTH = 50;
export const MAX_QUESTION_LABEL_LENGTH = 200;
export const MAX_QUESTION_OPTIONS = 50;
export const MAX_OPTION_LENGTH = 200;
export const MAX_TEXT_ANSWER_LENGTH = 500;
export const MAX_LONG_TEXT_ANSWER_LENGTH = 5000;

const QUESTION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const QUESTION_FIELDS = new Set(['id', 'kind', 'label', 'required', 'options']);

export interface BookingQuestion {
  /** A slug, unique within the event type: the key of its answer. */
  id: string;
  kind: QuestionKind;
  label: string;
  required: boolean;
  /** The choices of single_choice and multiple_choice, in their order; null for the other kinds. */
  options: string[] | null;
}

/** text, long_text, phone, single_choice: a string; multiple_choice: the options chosen; checkbox: a boolean. */
export type AnswerValue = string | string[] | boolean;

/** An answer as a booking keeps it: with the question's label and kind as they were when it was given. */
export interface BookingAnswer {
  questionId: string;
  label: string;
  kind: QuestionKind;
  value: AnswerValue;
}

/** The stable codes of `errors[].code` for questions and answers (API.md). */
export type QuestionErrorCode =
  | 'QUESTIONS_INVALID'
  | 'QUESTION_INVALID'
  | 'QUESTION_ID_INVALID'
  | 'QUESTION_ID_DUPLICATE'
  | 'QUESTION_KIND_INVALID'
  | 'QUESTION_LABEL_INVALID'
  | 'QUESTION_REQUIRED_INVALID'
  | 'QUESTION_OPTIONS_INVALID'
  | 'ANSWERS_INVALID'
  | 'ANSWER_REQUIRED'
  | 'ANSWER_UNKNOWN_QUESTION'
  | 'ANSWER_WRONG_TYPE'
  | 'ANSWER_NOT_AN_OPTION'
  | 'ANSWER_TOO_LONG'
  | 'ANSWER_INVALID_PHONE';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The questions of a definition, checked one by one (every problem reported); undefined or null: none.
 * Labels and options are kept trimmed.
 */
export function parseQuestions(input: unknown): { questions: BookingQuestion[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, code: QuestionErrorCode, message: string) =>
    errors.push({ field, code, message });
  if (input === undefined || input === null) return { questions: [], errors };
  if (!Array.isArray(input)) {
    fail('questions', 'QUESTIONS_INVALID', 'must be a list of questions');
    return { questions: [], errors };
  }
  if (input.length > MAX_QUESTIONS) {
    fail('questions', 'QUESTIONS_INVALID', `must hold at most ${MAX_QUESTIONS} questions`);
    return { questions: [], errors };
  }
  const questions: BookingQuestion[] = [];
  const seen = new Set<string>();
  input.forEach((raw: unknown, i) => {
    const at = `questions[${i}]`;
    if (!isRecord(raw)) {
      fail(at, 'QUESTION_INVALID', 'must be an object with id, kind, label and required');
      return;
    }
    const before = errors.length;
    for (const key of Object.keys(raw)) {
      if (!QUESTION_FIELDS.has(key)) fail(`${at}.${key}`, 'QUESTION_INVALID', 'is not a field of a question');
    }
    const { id, kind, label, required, options } = raw;
    if (typeof id !== 'string' || id.length > MAX_QUESTION_ID_LENGTH || !QUESTION_ID.test(id)) {
      fail(
        `${at}.id`,
        'QUESTION_ID_INVALID',
        `must be lowercase letters and digits in words joined by "-", at most ${MAX_QUESTION_ID_LENGTH} characters`,
      );
    } else if (seen.has(id)) {
      fail(`${at}.id`, 'QUESTION_ID_DUPLICATE', `"${id}" is the id of an earlier question`);
    } else {
      seen.add(id);
    }
    if (!QUESTION_KINDS.includes(kind as QuestionKind)) {
      fail(`${at}.kind`, 'QUESTION_KIND_INVALID', `must be one of ${QUESTION_KINDS.join(', ')}`);
    }
    const trimmed = typeof label === 'string' ? label.trim() : '';
    if (trimmed.length === 0 || trimmed.length > MAX_QUESTION_LABEL_LENGTH) {
      fail(`${at}.label`, 'QUESTION_LABEL_INVALID', `must be 1 to ${MAX_QUESTION_LABEL_LENGTH} characters`);
    }
    if (typeof required !== 'boolean') {
      fail(`${at}.required`, 'QUESTION_REQUIRED_INVALID', 'must be true or false');
    }
    const choice = CHOICE_KINDS.includes(kind as QuestionKind);
    let kept: string[] | null = null;
    if (choice) {
      kept = checkOptions(options, `${at}.options`, fail);
    } else if (options !== undefined && options !== null) {
      fail(`${at}.options`, 'QUESTION_OPTIONS_INVALID', 'are only for single_choice and multiple_choice');
    }
    if (errors.length > before) return;
    questions.push({
      id: id as string,
      kind: kind as QuestionKind,
      label: trimmed,
      required: required as boolean,
      options: kept,
    });
  });
  return { questions, errors };
}

function checkOptions(
  options: unknown,
  field: string,
  fail: (field: string, code: QuestionErrorCode, message: string) => void,
): string[] | null {
  const rule = `must be 1 to ${MAX_QUESTION_OPTIONS} different texts of 1 to ${MAX_OPTION_LENGTH} characters`;
  if (!Array.isArray(options) || options.length === 0 || options.length > MAX_QUESTION_OPTIONS) {
    fail(field, 'QUESTION_OPTIONS_INVALID', rule);
    return null;
  }
  const kept: string[] = [];
  options.forEach((option: unknown, j) => {
    const text = typeof option === 'string' ? option.trim() : '';
    if (text.length === 0 || text.length > MAX_OPTION_LENGTH) {
      fail(`${field}[${j}]`, 'QUESTION_OPTIONS_INVALID', `must be 1 to ${MAX_OPTION_LENGTH} characters`);
    } else if (kept.includes(text)) {
      fail(`${field}[${j}]`, 'QUESTION_OPTIONS_INVALID', `"${text}" is already an option`);
    } else {
      kept.push(text);
    }
  });
  return kept.length === options.length ? kept : null;
}

// E.164: a "+", a country code that does not start with 0, 8 to 15 digits in all. Spaces, dots, dashes
// and parentheses between digits are how people write numbers; they are dropped.
const PHONE_SEPARATORS = /[\s.()-]/g;
const E164 = /^\+[1-9]\d{7,14}$/;

/** A phone number in E.164 (`+4930123456`), or null when it is not one. */
export function normalizePhone(value: string): string | null {
  if (!/^\+[\d\s.()-]+$/.test(value)) return null;
  const digits = value.replace(PHONE_SEPARATORS, '');
  return E164.test(digits) ? digits : null;
}

const named = (q: BookingQuestion) => `"${q.label}" (${q.id})`;

/**
 * A booking's answers checked against the questions, in the questions' order: every required question
 * answered, nothing else answered, each answer of its question's kind. An empty text, an empty choice or
 * null counts as not answered. Throws VALIDATION_FAILED naming each question (label and id).
 */
export function answersFor(questions: readonly BookingQuestion[], input: unknown): BookingAnswer[] {
  const errors: FieldError[] = [];
  const given: Record<string, unknown> = input === undefined || input === null ? {} : (input as never);
  if (!isRecord(given)) {
    throw DomainError.validation(
      [{ field: 'answers', code: 'ANSWERS_INVALID', message: 'must be an object keyed by question id' }],
      'The answers do not fit the questions of this event type.',
    );
  }
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const key of Object.keys(given)) {
    if (!byId.has(key)) {
      errors.push({
        field: `answers.${key}`,
        code: 'ANSWER_UNKNOWN_QUESTION',
        message: `"${key}" is not a question of this event type`,
      });
    }
  }
  const answers: BookingAnswer[] = [];
  for (const question of questions) {
    const fail = (code: QuestionErrorCode, message: string) =>
      errors.push({ field: `answers.${question.id}`, code, message: `${named(question)} ${message}` });
    const outcome = answerOf(question, Object.hasOwn(given, question.id) ? given[question.id] : undefined);
    if ('error' in outcome) fail(outcome.error, outcome.message);
    else if (outcome.value === undefined) {
      if (question.required) fail('ANSWER_REQUIRED', 'is required');
    } else {
      answers.push({
        questionId: question.id,
        label: question.label,
        kind: question.kind,
        value: outcome.value,
      });
    }
  }
  if (errors.length > 0) {
    throw DomainError.validation(errors, 'The answers do not fit the questions of this event type.');
  }
  return answers;
}

type Outcome = { value: AnswerValue | undefined } | { error: QuestionErrorCode; message: string };

function answerOf(question: BookingQuestion, raw: unknown): Outcome {
  if (raw === undefined || raw === null) return { value: undefined };
  const wrongType = (what: string): Outcome => ({ error: 'ANSWER_WRONG_TYPE', message: `must be ${what}` });
  switch (question.kind) {
    case 'checkbox':
      if (typeof raw !== 'boolean') return wrongType('true or false');
      // A required checkbox is a consent: only ticking it answers.
      return { value: raw || !question.required ? raw : undefined };
    case 'multiple_choice': {
      if (!Array.isArray(raw) || raw.some((o) => typeof o !== 'string'))
        return wrongType('a list of options');
      if (new Set(raw).size !== raw.length) return wrongType('a list naming each option once');
      const unknown = raw.find((o: string) => !question.options!.includes(o));
      if (unknown !== undefined) return notAnOption(question, unknown);
      // Kept in the options' order, whatever order they came in.
      return { value: raw.length === 0 ? undefined : question.options!.filter((o) => raw.includes(o)) };
    }
    default: {
      if (typeof raw !== 'string') return wrongType('a text');
      const text = raw.trim();
      if (text.length === 0) return { value: undefined };
      if (question.kind === 'single_choice') {
        return question.options!.includes(text) ? { value: text } : notAnOption(question, text);
      }
      if (question.kind === 'phone') {
        const phone = normalizePhone(text);
        return phone
          ? { value: phone }
          : {
              error: 'ANSWER_INVALID_PHONE',
              message: 'must be a phone number with its country code, like +44 20 7946 0958',
            };
      }
      const max = question.kind === 'long_text' ? MAX_LONG_TEXT_ANSWER_LENGTH : MAX_TEXT_ANSWER_LENGTH;
      if (text.length > max)
        return { error: 'ANSWER_TOO_LONG', message: `must be at most ${max} characters` };
      return { value: text };
    }
  }
}

function notAnOption(question: BookingQuestion, given: string): Outcome {
  const shown = given.length > 40 ? `${given.slice(0, 40)}…` : given;
  return { error: 'ANSWER_NOT_AN_OPTION', message: `must be one of its options, not "${shown}"` };
}

/** An answer as words, for people reading it (the Outlook event, the manage page). */
export function answerText(answer: Pick<BookingAnswer, 'value'>): string {
  if (typeof answer.value === 'boolean') return answer.value ? 'Yes' : 'No';
  if (Array.isArray(answer.value)) return answer.value.join(', ');
  return answer.value;
}
