// The client address the audit trail keeps: one form per client, and nothing that is not an address.
import { normalizeAddress } from '@adapters/http/client-address.js';

describe('normalizeAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
  ])('%s reads %s', (given, kept) => {
    expect(normalizeAddress(given)).toBe(kept);
  });

  it.each([undefined, '', 'unknown', 'evil.example.com', '1.2.3.4, 5.6.7.8', '999.1.1.1'])(
    '%p is no address',
    (given) => {
      expect(normalizeAddress(given)).toBeNull();
    },
  );
});
