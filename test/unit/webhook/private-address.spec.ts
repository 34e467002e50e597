// The addresses webhooks must not reach when private networks are not allowed.
import { isIpLiteral, isPrivateAddress } from '@domain/webhook/private-address.js';

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '[::1]',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:a9fe:a9fe]',
    '64:ff9b::10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
    expect(isIpLiteral(address.replace(/%.*$/, ''))).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '100.128.0.1',
    '2001:db8::1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
    expect(isIpLiteral(address)).toBe(true);
  });

  it('tells names from address literals', () => {
    for (const name of ['hooks.contoso.com', 'localhost', '1.2.3', '1.2.3.256', 'fe80:::1', '1::2::3'])
      expect(isIpLiteral(name)).toBe(false);
    expect(isPrivateAddress('localhost')).toBe(false);
  });
});
