// Which IP addresses a webhook must not reach unless private networks are allowed: loopback, private
// (RFC 1918), shared (CGNAT), link-local (cloud metadata lives there), unique-local, unspecified, multicast
// and reserved, and every IPv6 form that carries such an IPv4 address. Plain arithmetic on the text: the
// domain imports nothing.

/** IPv4 ranges as [first octets, prefix length]. */
const V4_BLOCKED: [number[], number][] = [
  [[0], 8], // "this network", 0.0.0.0
  [[10], 8],
  [[100, 64], 10], // shared address space (carrier-grade NAT)
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata endpoints
  [[172, 16], 12],
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

const toUint32 = (octets: number[]) => octets.reduce((acc, b, i) => acc + b * 2 ** (24 - 8 * i), 0);

function v4Blocked(address: number): boolean {
  return V4_BLOCKED.some(([start, prefix]) => {
    const size = 2 ** (32 - prefix);
    return Math.floor(address / size) === Math.floor(toUint32(start) / size);
  });
}

/** One part of an IPv4 address as WHATWG URL and inet_aton read it: decimal, `0x` hex or `0`-led octal. */
function v4Number(part: string): number | null {
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) [digits, radix] = [part.slice(2), 16];
  else if (part.length > 1 && part.startsWith('0')) [digits, radix] = [part.slice(1), 8];
  if (digits === '') return part === '' ? null : 0;
  const valid = { 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-f]+$/i }[radix]!;
  return valid.test(digits) ? parseInt(digits, radix) : null;
}

/**
 * An IPv4 address as a 32-bit number, in any spelling that WHATWG URL parsing or inet_aton accepts:
 * `127.0.0.1`, `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`, a trailing dot. The URL parser already
 * turns these into dotted decimal for http(s) URLs; reading them here too keeps the rule right whatever
 * text it is given.
 */
function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length > 4) return null;
  const numbers = parts.map(v4Number);
  if (numbers.some((n) => n === null)) return null;
  const values = numbers as number[];
  const last = values.pop()!;
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return null;
  return values.reduce((acc, n, i) => acc + n * 256 ** (3 - i), last);
}

/** A strict dotted quad, the only IPv4 form allowed at the end of an IPv6 address. */
function parseDottedQuad(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? toUint32(octets) : null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included), or null. */
function parseV6(text: string): number[] | null {
  let rest = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseDottedQuad(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Math.floor(v4 / 0x10000), v4 % 0x10000];
    rest = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const back = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - back.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...back];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const words = all.map((g) => parseInt(g, 16));
  if (tail.length > 0) words.splice(6, 2, ...tail);
  return words;
}

/** The IPv4 address in groups `i` and `i + 1`. */
const v4At = (w: number[], i: number) => w[i]! * 0x10000 + w[i + 1]!;

/**
 * The IPv4 addresses a packet to this IPv6 address ends up at, when the address embeds or maps to IPv4:
 * such an address is judged by them. Null when it does not.
 */
function embeddedV4(w: number[]): number[] | null {
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible, deprecated), ::ffff:a.b.c.d (IPv4-mapped), ::ffff:0:a.b.c.d (SIIT).
  if (zero(0, 5) && (w[5] === 0 || w[5] === 0xffff)) return [v4At(w, 6)];
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return [v4At(w, 6)];
  // NAT64's well-known prefix 64:ff9b::/96 (RFC 6052).
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return [v4At(w, 6)];
  // 6to4, 2002:AABB:CCDD::/48 (RFC 3056).
  if (w[0] === 0x2002) return [v4At(w, 1)];
  // Teredo, 2001:0::/32 (RFC 4380): the server in bits 32-63, the client inverted in the last 32 bits.
  if (w[0] === 0x2001 && w[1] === 0) return [v4At(w, 2), (v4At(w, 6) ^ 0xffffffff) >>> 0];
  return null;
}

function v6Blocked(w: number[]): boolean {
  if (w.slice(0, 7).every((x) => x === 0) && (w[7] === 0 || w[7] === 1)) return true; // :: and ::1
  const v4 = embeddedV4(w);
  if (v4) return v4.some(v4Blocked);
  const first = w[0]!;
  return (
    // 64:ff9b:1::/48 is NAT64 for local use (RFC 8215): the operator picks where the IPv4 address sits,
    // and whatever it is, it is reached through the operator's own network.
    (first === 0x64 && w[1] === 0xff9b && w[2] === 1) ||
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique-local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated)
    (first & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}

const unbracket = (text: string) => text.replace(/^\[(.*)\]$/, '$1');

/** Whether `text` is an IP address literal (IPv4 in any spelling, or IPv6 with or without brackets). */
export function isIpLiteral(text: string): boolean {
  const bare = unbracket(text);
  return parseV4(bare) !== null || (bare.includes(':') && parseV6(bare.replace(/%.*$/, '')) !== null);
}

/** Whether the address (IPv4, or IPv6 with or without brackets and zone) is one webhooks must not reach. */
export function isPrivateAddress(text: string): boolean {
  const bare = unbracket(text);
  const v4 = parseV4(bare);
  if (v4 !== null) return v4Blocked(v4);
  const v6 = bare.includes(':') ? parseV6(bare.replace(/%.*$/, '')) : null;
  return v6 !== null && v6Blocked(v6);
}
