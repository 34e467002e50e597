// Webhook endpoints: which URLs and event types are accepted, and what a subscription matches.
import { DomainError } from '@domain/shared/domain-error.js';
import { WEBHOOK_EVENT_TYPES, webhookUrlProblem } from '@domain/webhook/webhook-endpoint.js';
import { anEndpoint } from '../../builders/webhook.builder.js';

const open = { allowPrivateNetworks: true };
const closed = { allowPrivateNetworks: false };

function fieldsOf(thunk: () => unknown): string[] {
  try {
    thunk();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).errors.map((e) => e.field);
  }
  throw new Error('expected a validation error');
}

describe('a webhook endpoint', () => {
  it.each([
    'https://hooks.contoso.com/kailenty',
    'https://hooks.contoso.com:8443/a?b=c',
    'http://localhost:4000/hooks',
    'http://127.0.0.1:51234/',
    'http://[::1]:8080/x',
    'https://hooks.contoso.com',
    'HTTPS://Hooks.Contoso.com:443/In?b=c&a=%7e',
  ])('accepts %s, kept as posted', (url) => {
    expect(webhookUrlProblem(url, open)).toBeNull();
    expect(anEndpoint({ url }).url).toBe(url);
  });

  it.each([
    ['', 'absolute'],
    ['/relative/path', 'absolute'],
    ['ftp://files.contoso.com/x', 'absolute'],
    ['javascript:alert(1)', 'absolute'],
    ['http://hooks.contoso.com/x', 'https'],
    ['http://10.0.0.5/x', 'https'],
    ['https://user:pass@hooks.contoso.com/x', 'credentials'],
    ['https://hooks.contoso.com/x#frag', 'fragment'],
    [`https://hooks.contoso.com/${'a'.repeat(2100)}`, '2048'],
  ])('refuses %s', (url, why) => {
    expect(webhookUrlProblem(url, open)).toContain(why);
    expect(fieldsOf(() => anEndpoint({ url }))).toEqual(['url']);
  });

  it.each([
    'http://127.0.0.1:4000/hooks',
    'http://[::1]:8080/x',
    'https://10.0.0.5/x',
    'https://172.20.1.1/x',
    'https://192.168.0.10/x',
    'https://169.254.169.254/latest/meta-data',
    'https://[fd12::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://0x7f.1/x',
    // Spellings the URL parser turns into 127.0.0.1, and IPv6 forms that reach a private IPv4 address.
    'http://2130706433/x',
    'http://0177.0.0.1/x',
    'http://127.1/x',
    'https://[64:ff9b:1::7f00:1]/x',
    'https://[64:ff9b::a9fe:a9fe]/x',
    'https://[2002:7f00:1::1]/x',
    'https://[::ffff:0:7f00:1]/x',
    'https://[::127.0.0.1]/x',
    'https://[2001:0:808:808::80ff:fffe]/x',
  ])('refuses %s when private networks are not allowed', (url) => {
    expect(webhookUrlProblem(url, open)).toBeNull();
    expect(webhookUrlProblem(url, closed)).toContain('private');
    expect(fieldsOf(() => anEndpoint({ url, policy: closed }))).toEqual(['url']);
  });

  it('leaves names and public addresses to the delivery-time check', () => {
    for (const url of ['https://hooks.contoso.com/x', 'https://8.8.8.8/x', 'http://localhost:4000/x'])
      expect(webhookUrlProblem(url, closed)).toBeNull();
  });

  it('needs at least one known event type', () => {
    expect(fieldsOf(() => anEndpoint({ events: [] }))).toEqual(['events']);
    expect(fieldsOf(() => anEndpoint({ events: ['booking.created', 'booking.exploded'] }))).toEqual([
      'events',
    ]);
    expect(fieldsOf(() => anEndpoint({ url: 'nope', events: [] }))).toEqual(['url', 'events']);
  });

  it('subscribes to the types it names, or to all with *', () => {
    const some = anEndpoint({ events: ['booking.created', 'booking.created', 'connection.revoked'] });
    expect(some.toSnapshot().events).toEqual(['booking.created', 'connection.revoked']);
    expect(some.subscribesTo('booking.created')).toBe(true);
    expect(some.subscribesTo('booking.cancelled')).toBe(false);
    const all = anEndpoint({ events: ['booking.created', '*'] });
    expect(all.toSnapshot().events).toEqual(['*']);
    for (const type of WEBHOOK_EVENT_TYPES) expect(all.subscribesTo(type)).toBe(true);
    expect(all.subscribesTo('calendar.sync_requested')).toBe(false);
  });
});
