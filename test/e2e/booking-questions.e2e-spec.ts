// Booking questions over HTTP against the Microsoft 365 emulator: an event type's questions set and
// refused (naming the question), a booking's answers checked against them (each refusal naming the question,
// nothing written), kept through a move, carried in the booking webhooks and written, escaped, into the
// host's Outlook event; the public booking page asks them too.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { bookableWorkspace, createEventType, type BookableWorkspace } from '../support/bookable.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

const QUESTIONS = [
  { id: 'company', kind: 'text', label: 'Company', required: true },
  { id: 'context', kind: 'long_text', label: 'What should we prepare?', required: false },
  {
    id: 'size',
    kind: 'single_choice',
    label: 'Team size',
    required: true,
    options: ['1-10', '11-50', '51+'],
  },
  {
    id: 'topics',
    kind: 'multiple_choice',
    label: 'Topics',
    required: false,
    options: ['Pricing', 'Security', 'Roll-out'],
  },
  { id: 'phone', kind: 'phone', label: 'Phone', required: false },
  { id: 'consent', kind: 'checkbox', label: 'I agree to the terms', required: true },
];
const VALID = { company: 'Contoso', size: '11-50', consent: true };

/** The n-th offered start, a few days ahead (inside the emulator's seeded week). */
async function slot(b: BookableWorkspace, n = 0): Promise<string> {
  const from = new Date(Date.now() + 2 * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 4 * 86_400_000);
  const res = await t
    .http()
    .get(`/v1/event-types/${b.eventTypeId}/slots?start=${from.toISOString()}&end=${to.toISOString()}`)
    .set(auth(b.ws.apiKey))
    .expect(200);
  expect(res.body.slots.length).toBeGreaterThan(n);
  return res.body.slots[n].start;
}

const book = (b: BookableWorkspace, body: Record<string, unknown>) =>
  t
    .http()
    .post('/v1/bookings')
    .set(auth(b.ws.apiKey))
    .send({ eventTypeId: b.eventTypeId, guest, ...body });

/** What the workspace holds of bookings: rows, facts and Outlook events (all must stay empty on a 400). */
async function written(b: BookableWorkspace, user: keyof typeof DEMO.users) {
  const [rows] = await sql<{ n: number }>('select count(*)::int as n from bookings where workspace_id = ?', [
    b.ws.id,
  ]);
  const [facts] = await sql<{ n: number }>(
    'select count(*)::int as n from domain_events where workspace_id = ?',
    [b.ws.id],
  );
  const events = emu.control
    .events(DEMO.users[user].id)
    .filter((e) => (e.subject as string).startsWith('Questions call'));
  return { bookings: Number(rows!.n), facts: Number(facts!.n), events: events.length };
}

describe('an event type’s questions', () => {
  it('are set on create, shown, replaced by PATCH, and refused naming the question, nothing changed', async () => {
    const b = await bookableWorkspace(t, emu, { mail: DEMO.users.megan.mail });
    const created = await createEventType(t, b.ws.apiKey, [b.hostId], { questions: QUESTIONS });
    expect(created.questions).toEqual(QUESTIONS.map((q) => ({ options: null, ...q })));
    expect(b.eventType.questions).toEqual([]);

    const bad = await t
      .http()
      .post('/v1/event-types')
      .set(auth(b.ws.apiKey))
      .send({
        slug: 'bad-questions',
        title: 'Bad',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [b.hostId],
        assignment: 'single',
        questions: [QUESTIONS[0], QUESTIONS[1], { ...QUESTIONS[2], label: 'x'.repeat(201) }, QUESTIONS[0]],
      });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([
      { field: 'questions[2].label', code: 'QUESTION_LABEL_INVALID', message: 'must be 1 to 200 characters' },
      {
        field: 'questions[3].id',
        code: 'QUESTION_ID_DUPLICATE',
        message: '"company" is the id of an earlier question',
      },
    ]);
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ ...QUESTIONS[0], id: `q${i}` }));
    const refused = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(b.ws.apiKey))
      .send({ title: 'Renamed', questions: tooMany });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'questions', code: 'QUESTIONS_INVALID' }),
    ]);
    const choiceWithout = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(b.ws.apiKey))
      .send({ questions: [{ id: 'size', kind: 'single_choice', label: 'Size', required: true }] });
    expect(choiceWithout.body.errors).toEqual([
      expect.objectContaining({ field: 'questions[0].options', code: 'QUESTION_OPTIONS_INVALID' }),
    ]);
    const unchanged = await t.http().get(`/v1/event-types/${created.id}`).set(auth(b.ws.apiKey)).expect(200);
    expect(unchanged.body).toEqual(created);
    const list = await t.http().get('/v1/event-types').set(auth(b.ws.apiKey)).expect(200);
    expect(list.body.data.map((e: { slug: string }) => e.slug)).not.toContain('bad-questions');

    const patched = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(b.ws.apiKey))
      .send({ questions: [QUESTIONS[5]] })
      .expect(200);
    expect(patched.body.questions).toEqual([{ ...QUESTIONS[5], options: null }]);
    const cleared = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(b.ws.apiKey))
      .send({ questions: null })
      .expect(200);
    expect(cleared.body.questions).toEqual([]);
  });
});

describe('a booking’s answers', () => {
  let b: BookableWorkspace;
  beforeAll(async () => {
    b = await bookableWorkspace(t, emu, {
      mail: DEMO.users.adele.mail,
      eventType: { title: 'Questions call', questions: QUESTIONS, bookingPage: { enabled: true } },
    });
  });

  it.each([
    [
      'a required answer missing',
      { size: '11-50', consent: true },
      'answers.company',
      'ANSWER_REQUIRED',
      '"Company" (company) is required',
    ],
    [
      'an unknown question id',
      { ...VALID, budget: 'big' },
      'answers.budget',
      'ANSWER_UNKNOWN_QUESTION',
      '"budget" is not a question of this event type',
    ],
    [
      'a wrong type',
      { ...VALID, topics: 'Pricing' },
      'answers.topics',
      'ANSWER_WRONG_TYPE',
      '"Topics" (topics) must be a list of options',
    ],
    [
      'an option not offered',
      { ...VALID, size: '500' },
      'answers.size',
      'ANSWER_NOT_AN_OPTION',
      '"Team size" (size) must be one of its options, not "500"',
    ],
    [
      'a text too long',
      { ...VALID, company: 'x'.repeat(501) },
      'answers.company',
      'ANSWER_TOO_LONG',
      '"Company" (company) must be at most 500 characters',
    ],
    [
      'a long text too long',
      { ...VALID, context: 'x'.repeat(5001) },
      'answers.context',
      'ANSWER_TOO_LONG',
      '"What should we prepare?" (context) must be at most 5000 characters',
    ],
    [
      'an invalid phone',
      { ...VALID, phone: '12345' },
      'answers.phone',
      'ANSWER_INVALID_PHONE',
      '"Phone" (phone) must be a phone number with its country code, like +44 20 7946 0958',
    ],
    [
      'the consent not given',
      { ...VALID, consent: false },
      'answers.consent',
      'ANSWER_REQUIRED',
      '"I agree to the terms" (consent) is required',
    ],
  ])(
    'refuses %s with 400 naming the question, and writes nothing',
    async (_, answers, field, code, message) => {
      const start = await slot(b);
      const before = await written(b, 'adele');
      const res = await book(b, { start, answers });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field, code, message }]);
      expect(await written(b, 'adele')).toEqual(before);
    },
  );

  it('refuses answers that are not an object, and a booking without any', async () => {
    const start = await slot(b);
    const before = await written(b, 'adele');
    const list = await book(b, { start, answers: ['Contoso'] });
    expect(list.status).toBe(400);
    expect(list.body.errors[0].field).toBe('answers');
    const none = await book(b, { start });
    expect(none.status).toBe(400);
    expect(none.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'answers.company',
      'answers.size',
      'answers.consent',
    ]);
    expect(await written(b, 'adele')).toEqual(before);
  });

  it('are stored, answered, carried in the webhooks, escaped in the Outlook event, and kept when moved', async () => {
    const start = await slot(b);
    const answers = {
      company: '<script>alert(1)</script> & "Contoso"',
      context: 'Line one\n<img src=x onerror=alert(1)>',
      size: '51+',
      topics: ['Roll-out', 'Pricing'],
      phone: '+44 20 7946 0958',
      consent: true,
    };
    const res = await book(b, { start, answers });
    expect(res.status).toBe(201);
    const expected = [
      { questionId: 'company', label: 'Company', value: answers.company },
      { questionId: 'context', label: 'What should we prepare?', value: answers.context },
      { questionId: 'size', label: 'Team size', value: '51+' },
      { questionId: 'topics', label: 'Topics', value: ['Pricing', 'Roll-out'] },
      { questionId: 'phone', label: 'Phone', value: '+442079460958' },
      { questionId: 'consent', label: 'I agree to the terms', value: true },
    ];
    expect(res.body.answers).toEqual(expected);
    expect((await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(b.ws.apiKey))).body.answers).toEqual(
      expected,
    );

    // The host's Outlook event, read back from the emulator: the guest's words as text, never as markup.
    const event = emu.control.event(res.body.calendar.eventId)!;
    const body = (event.body as { contentType: string; content: string }).content;
    expect(body).toContain(
      '<p><strong>Company</strong><br>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Contoso&quot;</p>',
    );
    expect(body).toContain(
      '<p><strong>What should we prepare?</strong><br>Line one<br>&lt;img src=x onerror=alert(1)&gt;</p>',
    );
    expect(body).toContain('<p><strong>Topics</strong><br>Pricing, Roll-out</p>');
    expect(body).toContain('<p><strong>Phone</strong><br>+442079460958</p>');
    expect(body).toContain('<p><strong>I agree to the terms</strong><br>Yes</p>');
    expect(body).not.toMatch(/<script|<img/);

    // Moved: the answers stay, in the answer and in booking.rescheduled.
    const later = await slot(b, 1);
    const moved = await t
      .http()
      .post(`/v1/bookings/${res.body.id}/reschedule`)
      .set(auth(b.ws.apiKey))
      .send({ start: later })
      .expect(200);
    expect(moved.body.answers).toEqual(expected);

    const facts = await sql<{ type: string; data: unknown }>(
      'select type, data from domain_events where booking_id = ? order by sequence',
      [res.body.id],
    );
    const payloads = (facts as { type: string; data: unknown }[]).map((f) => ({
      type: f.type,
      answers: (typeof f.data === 'string' ? JSON.parse(f.data) : (f.data as { answers: unknown })).answers,
    }));
    expect(payloads.map((p) => p.type)).toEqual(
      expect.arrayContaining(['booking.created', 'booking.rescheduled']),
    );
    for (const p of payloads) expect(p.answers).toEqual(expected);
  });

  it('are asked by the public booking page, checked the same way, and shown on the manage page', async () => {
    const page = await t.http().get(`/v1/public/booking-pages/${b.eventTypeId}`).expect(200);
    expect(page.body.questions).toEqual(QUESTIONS.map((q) => ({ options: null, ...q })));
    const start = await slot(b, 2);
    const url = `/v1/public/booking-pages/${b.eventTypeId}/bookings`;
    const before = await written(b, 'adele');
    const refused = await t
      .http()
      .post(url)
      .send({ start, guest, answers: { ...VALID, phone: 'call me' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'answers.phone', code: 'ANSWER_INVALID_PHONE' }),
    ]);
    expect(await written(b, 'adele')).toEqual(before);

    const res = await t
      .http()
      .post(url)
      .send({ start, guest, answers: { ...VALID, topics: ['Security'] } })
      .expect(201);
    const expected = [
      { questionId: 'company', label: 'Company', value: 'Contoso' },
      { questionId: 'size', label: 'Team size', value: '11-50' },
      { questionId: 'topics', label: 'Topics', value: ['Security'] },
      { questionId: 'consent', label: 'I agree to the terms', value: true },
    ];
    expect(res.body.answers).toEqual(expected);
    const token = new URL(res.body.manageUrl).pathname.split('/').pop()!;
    expect((await t.http().get(`/v1/public/manage/${token}`).expect(200)).body.answers).toEqual(expected);
    const html = await t.http().get(`/manage/${token}`).expect(200);
    expect(html.text).toContain('Team size');
    expect(html.text).toContain('11-50');
  });
});
