// The booking page's questions in Debian's Chromium against the real service and the Microsoft 365
// emulator: each question an input with its label and whether it is required, the browser's own check and
// the service's refusal shown at the question (named by aria-describedby, marked aria-invalid), the answers
// booked and shown on the manage page; axe-core finds nothing serious in any of these states.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/emulator.js';
import type { TestApp } from '../support/test-app.js';
import { DEMO } from '../support/microsoft.js';
import { bookableWorkspace } from '../support/bookable.js';
import { startNotifiedApp } from '../support/notifications.js';
import { collectErrors, launchChromium, screenshots, seriousViolations } from '../support/browser.js';

let emu: Emulator;
let t: TestApp;
let browser: Browser;
let context: BrowserContext | null = null;

beforeAll(async () => {
  ({ emu, t } = await startNotifiedApp({ weeks: 1 }));
  browser = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

async function expectAccessible(page: Page, state: string) {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

const QUESTIONS = [
  { id: 'company', kind: 'text', label: 'Company', required: true },
  { id: 'context', kind: 'long_text', label: 'What should we prepare?', required: false },
  { id: 'size', kind: 'single_choice', label: 'Team size', required: true, options: ['1-10', '11-50'] },
  {
    id: 'topics',
    kind: 'multiple_choice',
    label: 'Topics',
    required: false,
    options: ['Pricing', 'Security'],
  },
  { id: 'phone', kind: 'phone', label: 'Phone', required: false },
  { id: 'consent', kind: 'checkbox', label: 'I agree to the <b>terms</b>', required: true },
];

describe('booking page questions', () => {
  it('are asked with labels and required marks, checked at each question, booked and shown on the manage page', async () => {
    const { ws, eventType } = await bookableWorkspace(t, emu, {
      workspaceName: 'Contoso Consulting',
      mail: DEMO.users.adele.mail,
      displayName: 'Adele Vance',
      eventType: { bookingPage: { enabled: true }, questions: QUESTIONS },
    });
    context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(eventType.bookingUrl as string);
    await page.locator('#times button.time').first().click();
    await page.locator('#details').waitFor();

    // Each question has an accessible name that says whether it must be answered; the label is text.
    await expect(page.getByLabel('Company (required)').count()).resolves.toBe(1);
    await expect(page.getByLabel('What should we prepare? (optional)').count()).resolves.toBe(1);
    await expect(page.getByRole('group', { name: 'Team size (required)' }).count()).resolves.toBe(1);
    await expect(page.getByRole('group', { name: 'Topics (optional)' }).count()).resolves.toBe(1);
    await expect(
      page.getByRole('checkbox', { name: 'I agree to the <b>terms</b> (required)' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('#q-phone').getAttribute('type')).resolves.toBe('tel');
    await expectAccessible(page, 'questions: details');

    // Submitted with the required questions unanswered: said at each, focus on the first.
    await page.locator('#guest-name').fill('Jordan Lee');
    await page.locator('#guest-email').fill('jordan@example.com');
    await page.locator('#confirm').click();
    await expect(page.locator('#q-company-error').textContent()).resolves.toBe(
      'Please answer this question.',
    );
    await expect(page.locator('#q-size-error').textContent()).resolves.toBe('Please answer this question.');
    await expect(page.locator('#q-consent-error').textContent()).resolves.toBe(
      'Please tick this box to book.',
    );
    await expect(page.locator('#q-company').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#q-company').getAttribute('aria-describedby')).resolves.toBe(
      'q-company-error',
    );
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('q-company');
    await expectAccessible(page, 'questions: required unanswered');
    await screenshots(page, 'questions-1-required');

    // The service's own refusal (a phone number without its country code) lands at that question.
    await page.locator('#q-company').fill('Contoso <Ltd>');
    await page.getByLabel('11-50').check();
    await page.getByLabel('Security').check();
    await page.locator('#q-context').fill('Line one\nLine two');
    await page.locator('#q-phone').fill('020 7946 0958');
    await page.locator('#q-consent').check();
    await page.locator('#confirm').click();
    // A locator, not a string predicate: the page's CSP refuses the eval a string predicate needs when it polls.
    await page.locator('#q-phone-error', { hasText: /\S/ }).waitFor();
    await expect(page.locator('#q-phone-error').textContent()).resolves.toContain(
      '"Phone" (phone) must be a phone number',
    );
    await expect(page.locator('#q-phone').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#q-company').getAttribute('aria-invalid')).resolves.toBeNull();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('q-phone');
    await expectAccessible(page, 'questions: refused by the service');
    await screenshots(page, 'questions-2-refused');
    const before = await t.http().get('/v1/bookings').set(auth(ws.apiKey)).expect(200);
    expect(before.body.data).toEqual([]);

    await page.locator('#q-phone').fill('+44 20 7946 0958');
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    const [booking] = (await t.http().get('/v1/bookings').set(auth(ws.apiKey)).expect(200)).body.data;
    expect(booking.answers).toEqual([
      { questionId: 'company', label: 'Company', value: 'Contoso <Ltd>' },
      { questionId: 'context', label: 'What should we prepare?', value: 'Line one\nLine two' },
      { questionId: 'size', label: 'Team size', value: '11-50' },
      { questionId: 'topics', label: 'Topics', value: ['Security'] },
      { questionId: 'phone', label: 'Phone', value: '+442079460958' },
      { questionId: 'consent', label: 'I agree to the <b>terms</b>', value: true },
    ]);

    // The manage page lists them as text.
    await page.goto(booking.manageUrl);
    const answers = page.locator('section.answers');
    await expect(answers.locator('h2').textContent()).resolves.toBe('Your answers');
    await expect(answers.locator('dt').allTextContents()).resolves.toEqual([
      'Company',
      'What should we prepare?',
      'Team size',
      'Topics',
      'Phone',
      'I agree to the <b>terms</b>',
    ]);
    await expect(answers.locator('dd').allTextContents()).resolves.toEqual([
      'Contoso <Ltd>',
      'Line one\nLine two',
      '11-50',
      'Security',
      '+442079460958',
      'Yes',
    ]);
    await expect(answers.locator('b').count()).resolves.toBe(0);
    await expectAccessible(page, 'questions: manage page');
    await screenshots(page, 'questions-3-manage');
    expect(errors).toEqual([]);
  });
});
