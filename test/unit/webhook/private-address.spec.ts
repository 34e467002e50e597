// The addresses webhooks must not reach when private networks are not allowed: every IPv4 spelling, and
// every IPv6 form that embeds or maps to an IPv4 address, judged by that address.
import fc from 'fast-check';
import { isIpLiteral, isPrivateAddress } from '@domain/webhook/private-address.js';

describe('private addresses', () => {
  it.each([
    // [address, why]
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['172.31.255.255', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    // IPv4 spelt the ways WHATWG URL and inet_aton read it.
    ['2130706433', 'loopback, one 32-bit number'],
    ['0x7f000001', 'loopback, one hex number'],
    ['0x7f.1', 'loopback, hex and a 24-bit tail'],
    ['0177.0.0.1', 'loopback, octal'],
    ['0177.0.0.01', 'loopback, octal'],
    ['127.1', 'loopback, 8.24'],
    ['127.0.1', 'loopback, 8.8.16'],
    ['127.0.0.1.', 'loopback, trailing dot'],
    ['0X7F.0.0.1', 'loopback, upper-case hex prefix'],
    ['0', 'this network, as one number'],
    ['0xa9.0xfe.0xa9.0xfe', 'metadata, hex octets'],
    ['167772161', 'RFC 1918, one number'],
    ['0x0a.0x0.0x0.0x1', 'RFC 1918, hex octets'],
    ['0300.0250.1.1', 'RFC 1918 192.168.1.1, octal octets'],
    ['0x.1', '0.0.0.1: a bare 0x is zero'],
    // IPv6 of its own.
    ['::1', 'loopback'],
    ['[::1]', 'loopback, bracketed'],
    ['0:0:0:0:0:0:0:1', 'loopback, in full'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['fd00::1', 'unique-local'],
    ['fc12:3456::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    // IPv6 that embeds or maps to a private IPv4 address.
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped, hex'],
    ['[::ffff:a9fe:a9fe]', 'IPv4-mapped metadata'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible, hex'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::ffff:0:7f00:1', 'IPv4-translated (SIIT)'],
    ['::ffff:0:10.0.0.1', 'IPv4-translated (SIIT), dotted'],
    ['64:ff9b::10.0.0.1', 'NAT64 well-known prefix'],
    ['64:ff9b::7f00:1', 'NAT64 well-known prefix, hex'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 to metadata'],
    ['64:ff9b:1::7f00:1', 'NAT64 local-use prefix'],
    ['64:ff9b:1::808:808', 'NAT64 local-use prefix, whatever the IPv4 address'],
    ['64:ff9b:1:ffff::1', 'NAT64 local-use prefix, other embedding'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['2002:a00:1::', '6to4 of 10.0.0.1'],
    ['2002:a9fe:a9fe:1:2:3:4:5', '6to4 of the metadata address'],
    ['2001:0:7f00:1::808:808', 'Teredo with a loopback server'],
    ['2001:0:808:808::80ff:fffe', 'Teredo with client 127.0.0.1 (inverted)'],
    ['2001:0:808:808:0:0:f5ff:fffe', 'Teredo with client 10.0.0.1 (inverted)'],
    ['2001:0:808:808::5601:5601', 'Teredo with client 169.254.169.254 (inverted)'],
  ])('refuses %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
    expect(isIpLiteral(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'just past 172.16/12'],
    ['172.15.255.255', 'just before 172.16/12'],
    ['192.169.0.1', 'just past 192.168/16'],
    ['100.128.0.1', 'just past CGNAT'],
    ['134744072', '8.8.8.8 as one number'],
    ['0x8.0x8.0x8.0x8', '8.8.8.8 in hex'],
    ['010.010.010.010', '8.8.8.8 in octal, not 10.10.10.10'],
    ['2001:db8::1', 'documentation'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['::808:808', 'IPv4-compatible public'],
    ['::ffff:0:808:808', 'IPv4-translated public'],
    ['64:ff9b::8.8.8.8', 'NAT64 well-known prefix to a public address'],
    ['2002:808:808::1', '6to4 of a public address'],
    ['2001:0:808:808::f7f7:f7f7', 'Teredo, public server and client 8.8.8.8'],
    ['2001:4860:4860::8888', 'in 2001::/16 but not Teredo'],
  ])('allows %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
    expect(isIpLiteral(address)).toBe(true);
  });

  it.each([
    'hooks.contoso.com',
    'localhost',
    '0x7f.example',
    '127.0.0.1.nip.io',
    '1.2.3.256',
    '1.2.65536',
    '4294967296',
    '1.2.3.4.5',
    '1..2',
    '08.0.0.1',
    '0x7g.1',
    'fe80:::1',
    '1::2::3',
    '::ffff:127.1',
    '::ffff:0177.0.0.1',
    '12345::',
    '',
  ])('reads %j as a name, not an address literal', (name) => {
    expect(isIpLiteral(name)).toBe(false);
    expect(isPrivateAddress(name)).toBe(false);
  });

  const v4 = fc.nat({ max: 0xffffffff });
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  const hex = (n: number) => `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;

  it('reads every IPv4 spelling as the URL parser does', () => {
    // A random split into 1 to 4 parts, each written in decimal, hex or octal.
    const spelling = fc
      .tuple(v4, fc.integer({ min: 1, max: 4 }), fc.array(fc.constantFrom(10, 16, 8), { minLength: 4 }))
      .map(([n, count, radixes]) => {
        const bytes = [24, 16, 8, 0].map((s) => (n >>> s) & 255);
        const head = bytes.slice(0, count - 1);
        const last = bytes.slice(count - 1).reduce((acc, b) => acc * 256 + b, 0);
        const write = (value: number, radix: number) =>
          radix === 16 ? `0x${value.toString(16)}` : radix === 8 ? `0${value.toString(8)}` : String(value);
        return { n, text: [...head, last].map((value, i) => write(value, radixes[i]!)).join('.') };
      });
    fc.assert(
      fc.property(spelling, ({ n, text }) => {
        expect(new URL(`http://${text}/`).hostname).toBe(dotted(n));
        expect(isIpLiteral(text)).toBe(true);
        expect(isPrivateAddress(text)).toBe(isPrivateAddress(dotted(n)));
      }),
      { numRuns: 2000 },
    );
  });

  it('judges IPv6 forms that carry an IPv4 address by that address', () => {
    fc.assert(
      fc.property(v4, v4, (a, server) => {
        const expected = isPrivateAddress(dotted(a));
        for (const form of [
          `::ffff:${dotted(a)}`,
          `::ffff:${hex(a)}`,
          `::ffff:0:${hex(a)}`,
          `64:ff9b::${hex(a)}`,
          `2002:${hex(a)}::1`,
        ])
          expect([form, isPrivateAddress(form)]).toEqual([form, expected]);
        expect(isPrivateAddress(`::${dotted(a)}`)).toBe(expected);
        // Teredo: refused when the server or the client is private.
        const teredo = `2001:0:${hex(server)}:0:0:${hex((a ^ 0xffffffff) >>> 0)}`;
        expect(isPrivateAddress(teredo)).toBe(expected || isPrivateAddress(dotted(server)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with what the URL parser leaves of an IPv6 literal', () => {
    for (const literal of [
      '[::ffff:127.0.0.1]',
      '[64:ff9b::127.0.0.1]',
      '[2002:7f00:0001::1]',
      '[::127.0.0.1]',
    ])
      expect(isPrivateAddress(new URL(`https://${literal}/`).hostname)).toBe(true);
  });
});
