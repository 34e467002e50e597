// Credentials in request URLs never reach the logs: OAuth codes and states, Graph's validation token and
// the signed 7-day links of /oauth/microsoft/reconnect and the admin-consent start.
import { redactUrl, serializers } from '@adapters/nest/logging.module.js';

describe('log redaction', () => {
  it('redacts the signed `link` of the reconnect and admin-consent links', () => {
    const link = 'eyJ3IjoiYSJ9.c2lnbmF0dXJl';
    for (const path of ['/oauth/microsoft/reconnect', '/oauth/microsoft/admin-consent/start']) {
      const url = redactUrl(`${path}?link=${link}`);
      expect(url).toBe(`${path}?link=[redacted]`);
      expect(url).not.toContain(link);
    }
    expect(redactUrl(`/oauth/microsoft/reconnect?x=1&link=${link}&y=2`)).toBe(
      '/oauth/microsoft/reconnect?x=1&link=[redacted]&y=2',
    );
  });

  it('redacts OAuth codes, states, session ids and validation tokens, and leaves other parameters', () => {
    expect(redactUrl('/oauth/microsoft/callback?code=0.AAA&state=s-1&session_state=abc&memberId=m-1')).toBe(
      '/oauth/microsoft/callback?code=[redacted]&state=[redacted]&session_state=[redacted]&memberId=m-1',
    );
    expect(redactUrl('/webhooks/microsoft/notifications?validationToken=Validation%3A+x')).toBe(
      '/webhooks/microsoft/notifications?validationToken=[redacted]',
    );
    expect(redactUrl('/v1/bookings?status=confirmed&limit=5')).toBe('/v1/bookings?status=confirmed&limit=5');
  });

  it('logs request URLs through that redaction', () => {
    expect(
      serializers.req({ id: 'r1', method: 'GET', url: '/oauth/microsoft/reconnect?link=secret' }),
    ).toEqual({ id: 'r1', method: 'GET', url: '/oauth/microsoft/reconnect?link=[redacted]' });
  });

  it('logs responses with the status and a redirect target redacted, no other header', () => {
    const authorize =
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=c&state=s-42&code_challenge=x';
    expect(
      serializers.res({ statusCode: 302, headers: { location: authorize, 'set-cookie': 'a=b' } }),
    ).toEqual({
      statusCode: 302,
      location:
        'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=c&state=[redacted]&code_challenge=x',
    });
    expect(serializers.res({ statusCode: 200, headers: { 'content-type': 'application/json' } })).toEqual({
      statusCode: 200,
    });
  });
});
