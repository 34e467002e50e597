// `GET /` outside sandbox mode: a short page naming the service with a link to the API reference, under the
// pages' own CSP, showing no workspace's data; the sandbox's connect route does not exist there. (The
// sandbox's start page is tested in a browser: test/browser/start-page.browser-spec.ts.)
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the start page, not in sandbox mode', () => {
  it('names the service and links to /docs, and shows nothing of any workspace', async () => {
    const ws = await t.workspace('Fabrikam Secret Projects');
    await t
      .http()
      .post('/v1/members')
      .set('Authorization', `Bearer ${ws.apiKey}`)
      .send({ email: 'hidden.person@fabrikam.example', displayName: 'Hidden Person', role: 'member' })
      .expect(201);

    const res = await t.http().get('/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<h1>kailenty</h1>');
    expect(res.text).toContain('href="/docs"');
    for (const secret of ['Fabrikam', 'hidden.person', 'Hidden Person', ws.id, 'sandbox']) {
      expect(res.text).not.toContain(secret);
    }
  });

  it('has no connect route: that is the sandbox’s alone', async () => {
    const res = await t
      .http()
      .post('/sandbox/start/connect/00000000-0000-4000-8000-000000000000')
      .set('content-type', 'text/plain')
      .send('token=1.x');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
