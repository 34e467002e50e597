// Booking questions and answers: each rule of a question reported at its place with its code, and a
// booking's answers checked against the questions, table by table.
import {
  answersFor,
  answerText,
  normalizePhone,
  parseQuestions,
} from '@domain/event-type/booking-question.js';
import { DomainError, type FieldError } from '@domain/shared/domain-error.js';

const q = (over: Record<string, unknown> = {}) => ({
  id: 'company',
  kind: 'text',
  label: 'Company',
  required: true,
  ...over,
});

const refusals = (input: unknown) =>
  parseQuestions(input).errors.map((e) => [e.field, e.code] as [string, string | undefined]);

describe('parseQuestions', () => {
  it('keeps valid questions in order, trimmed, with options only for the choice kinds', () => {
    const { questions, errors } = parseQuestions([
      q({ label: '  Company  ' }),
      q({ id: 'topics', kind: 'multiple_choice', label: 'Topics', required: false, options: [' A ', 'B'] }),
      q({ id: 'consent', kind: 'checkbox', label: 'I agree', options: null }),
    ]);
    expect(errors).toEqual([]);
    expect(questions).toEqual([
      { id: 'company', kind: 'text', label: 'Company', required: true, options: null },
      { id: 'topics', kind: 'multiple_choice', label: 'Topics', required: false, options: ['A', 'B'] },
      { id: 'consent', kind: 'checkbox', label: 'I agree', required: true, options: null },
    ]);
    expect(parseQuestions(undefined)).toEqual({ questions: [], errors: [] });
    expect(parseQuestions(null)).toEqual({ questions: [], errors: [] });
  });

  it.each([
    ['not a list', { id: 'x' }, [['questions', 'QUESTIONS_INVALID']]],
    [
      '21 questions',
      Array.from({ length: 21 }, (_, i) => q({ id: `q${i}` })),
      [['questions', 'QUESTIONS_INVALID']],
    ],
    ['a question that is not an object', [q(), 'text'], [['questions[1]', 'QUESTION_INVALID']]],
    ['an unknown field', [q({ placeholder: 'x' })], [['questions[0].placeholder', 'QUESTION_INVALID']]],
    ['an id that is not a slug', [q({ id: 'Company Name' })], [['questions[0].id', 'QUESTION_ID_INVALID']]],
    ['an id too long', [q({ id: 'a'.repeat(51) })], [['questions[0].id', 'QUESTION_ID_INVALID']]],
    ['a missing id', [q({ id: undefined })], [['questions[0].id', 'QUESTION_ID_INVALID']]],
    ['a duplicate id', [q(), q({ label: 'Other' })], [['questions[1].id', 'QUESTION_ID_DUPLICATE']]],
    ['an unknown kind', [q({ kind: 'date' })], [['questions[0].kind', 'QUESTION_KIND_INVALID']]],
    ['an empty label', [q({ label: '   ' })], [['questions[0].label', 'QUESTION_LABEL_INVALID']]],
    [
      'a label of 201 characters',
      [q({ label: 'x'.repeat(201) })],
      [['questions[0].label', 'QUESTION_LABEL_INVALID']],
    ],
    [
      'required not a boolean',
      [q({ required: 'yes' })],
      [['questions[0].required', 'QUESTION_REQUIRED_INVALID']],
    ],
    [
      'a choice without options',
      [q({ kind: 'single_choice' })],
      [['questions[0].options', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      'a choice with no options',
      [q({ kind: 'multiple_choice', options: [] })],
      [['questions[0].options', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      '51 options',
      [q({ kind: 'single_choice', options: Array.from({ length: 51 }, (_, i) => `o${i}`) })],
      [['questions[0].options', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      'the same option twice',
      [q({ kind: 'single_choice', options: ['A', ' A'] })],
      [['questions[0].options[1]', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      'an option of 201 characters',
      [q({ kind: 'single_choice', options: ['A', 'x'.repeat(201)] })],
      [['questions[0].options[1]', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      'an empty option',
      [q({ kind: 'single_choice', options: [''] })],
      [['questions[0].options[0]', 'QUESTION_OPTIONS_INVALID']],
    ],
    [
      'options on a text question',
      [q({ options: ['A'] })],
      [['questions[0].options', 'QUESTION_OPTIONS_INVALID']],
    ],
  ])('refuses %s', (_, input, expected) => {
    expect(refusals(input)).toEqual(expected);
  });

  it('reports every problem of every question at once', () => {
    expect(refusals([q({ label: '' }), q({ id: 'b', kind: 'nope', required: 1 })])).toEqual([
      ['questions[0].label', 'QUESTION_LABEL_INVALID'],
      ['questions[1].kind', 'QUESTION_KIND_INVALID'],
      ['questions[1].required', 'QUESTION_REQUIRED_INVALID'],
    ]);
  });

  it('accepts 20 questions and labels and options of 200 characters', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => q({ id: `q${i}`, label: 'x'.repeat(200) }));
    expect(parseQuestions(twenty).questions).toHaveLength(20);
    const long = [q({ kind: 'single_choice', options: ['y'.repeat(200)] })];
    expect(parseQuestions(long).errors).toEqual([]);
  });
});

describe('answersFor', () => {
  const questions = parseQuestions([
    q({ id: 'company', kind: 'text', label: 'Company', required: true }),
    q({ id: 'context', kind: 'long_text', label: 'Context', required: false }),
    q({ id: 'size', kind: 'single_choice', label: 'Team size', required: false, options: ['1-10', '11-50'] }),
    q({
      id: 'topics',
      kind: 'multiple_choice',
      label: 'Topics',
      required: false,
      options: ['Pricing', 'Security', 'Roll-out'],
    }),
    q({ id: 'phone', kind: 'phone', label: 'Phone', required: false }),
    q({ id: 'consent', kind: 'checkbox', label: 'I agree to be recorded', required: true }),
    q({ id: 'newsletter', kind: 'checkbox', label: 'Newsletter', required: false }),
  ]).questions;

  function refusal(answers: unknown): FieldError[] {
    try {
      answersFor(questions, answers);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      return (error as DomainError).errors;
    }
    throw new Error('expected the answers to be refused');
  }
  const minimal = { company: 'Contoso', consent: true };

  it('keeps the answers in the questions’ order, with labels and kinds, trimmed and normalised', () => {
    expect(
      answersFor(questions, {
        consent: true,
        topics: ['Roll-out', 'Pricing'],
        phone: '+44 (20) 7946-0958',
        company: '  Contoso ',
        size: '11-50',
        context: 'line 1\nline 2',
        newsletter: false,
      }),
    ).toEqual([
      { questionId: 'company', label: 'Company', kind: 'text', value: 'Contoso' },
      { questionId: 'context', label: 'Context', kind: 'long_text', value: 'line 1\nline 2' },
      { questionId: 'size', label: 'Team size', kind: 'single_choice', value: '11-50' },
      { questionId: 'topics', label: 'Topics', kind: 'multiple_choice', value: ['Pricing', 'Roll-out'] },
      { questionId: 'phone', label: 'Phone', kind: 'phone', value: '+442079460958' },
      { questionId: 'consent', label: 'I agree to be recorded', kind: 'checkbox', value: true },
      { questionId: 'newsletter', label: 'Newsletter', kind: 'checkbox', value: false },
    ]);
  });

  it('leaves out optional questions not answered (absent, null, empty text, empty list)', () => {
    const answers = answersFor(questions, { ...minimal, context: '  ', size: null, topics: [] });
    expect(answers.map((a) => a.questionId)).toEqual(['company', 'consent']);
    expect(answersFor([], undefined)).toEqual([]);
    expect(answersFor([], {})).toEqual([]);
  });

  it.each([
    [
      'no answers at all',
      undefined,
      [
        ['answers.company', 'ANSWER_REQUIRED'],
        ['answers.consent', 'ANSWER_REQUIRED'],
      ],
    ],
    ['a required text left blank', { ...minimal, company: '   ' }, [['answers.company', 'ANSWER_REQUIRED']]],
    [
      'a required checkbox not ticked',
      { ...minimal, consent: false },
      [['answers.consent', 'ANSWER_REQUIRED']],
    ],
    ['an unknown question id', { ...minimal, budget: '1M' }, [['answers.budget', 'ANSWER_UNKNOWN_QUESTION']]],
    ['a number for a text', { ...minimal, company: 42 }, [['answers.company', 'ANSWER_WRONG_TYPE']]],
    ['a string for a checkbox', { ...minimal, consent: 'yes' }, [['answers.consent', 'ANSWER_WRONG_TYPE']]],
    [
      'a string for a multiple choice',
      { ...minimal, topics: 'Pricing' },
      [['answers.topics', 'ANSWER_WRONG_TYPE']],
    ],
    ['a list for a single choice', { ...minimal, size: ['1-10'] }, [['answers.size', 'ANSWER_WRONG_TYPE']]],
    [
      'an option twice',
      { ...minimal, topics: ['Pricing', 'Pricing'] },
      [['answers.topics', 'ANSWER_WRONG_TYPE']],
    ],
    ['a single choice not offered', { ...minimal, size: '51+' }, [['answers.size', 'ANSWER_NOT_AN_OPTION']]],
    [
      'a multiple choice not offered',
      { ...minimal, topics: ['Pricing', 'Travel'] },
      [['answers.topics', 'ANSWER_NOT_AN_OPTION']],
    ],
    [
      'a text of 501 characters',
      { ...minimal, company: 'x'.repeat(501) },
      [['answers.company', 'ANSWER_TOO_LONG']],
    ],
    [
      'a long text of 5001 characters',
      { ...minimal, context: 'x'.repeat(5001) },
      [['answers.context', 'ANSWER_TOO_LONG']],
    ],
    [
      'a phone without country code',
      { ...minimal, phone: '020 7946 0958' },
      [['answers.phone', 'ANSWER_INVALID_PHONE']],
    ],
    [
      'a phone with letters',
      { ...minimal, phone: '+44 20 CALL ME' },
      [['answers.phone', 'ANSWER_INVALID_PHONE']],
    ],
    ['answers that are a list', ['Contoso'], [['answers', 'ANSWERS_INVALID']]],
    ['answers that are a text', 'Contoso', [['answers', 'ANSWERS_INVALID']]],
  ])('refuses %s', (_, answers, expected) => {
    expect(refusal(answers).map((e) => [e.field, e.code])).toEqual(expected);
  });

  it('names the question by its label and id in each message', () => {
    const [error] = refusal({ consent: true });
    expect(error!.message).toBe('"Company" (company) is required');
    const [tooLong] = refusal({ ...minimal, company: 'x'.repeat(501) });
    expect(tooLong!.message).toBe('"Company" (company) must be at most 500 characters');
  });

  it('accepts texts at their limits', () => {
    const answers = answersFor(questions, {
      ...minimal,
      company: 'x'.repeat(500),
      context: 'y'.repeat(5000),
    });
    expect(answers.map((a) => a.value)).toEqual(['x'.repeat(500), 'y'.repeat(5000), true]);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+49.30.1234567', '+49301234567'],
    ['+123456789012345', '+123456789012345'],
    ['+1234567', null], // 7 digits: too short for any real number
    ['+1234567890123456', null], // 16 digits: longer than E.164 allows
    ['+0441234567', null], // no country code starts with 0
    ['0044 20 7946 0958', null],
    ['+44 20 7946 0958 ext 12', null],
    ['++44207946095', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('answerText', () => {
  it('writes each kind of answer as words', () => {
    expect(answerText({ value: true })).toBe('Yes');
    expect(answerText({ value: false })).toBe('No');
    expect(answerText({ value: ['A', 'B'] })).toBe('A, B');
    expect(answerText({ value: 'Contoso' })).toBe('Contoso');
  });
});
