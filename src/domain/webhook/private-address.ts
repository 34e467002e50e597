// Which IP addresses a webhook must not reach unless private networks are allowed: loopback, private
// (RFC 1918), shared (CGNAT), link-local (cloud metadata lives there), unique-local, unspecified, multicast
// and reserved. Plain string arithmetic: the domain imports nothing.

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

function parseV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function inV4Block(octets: number[], [start, prefix]: [number[], number]): boolean {
  const value = (bytes: number[]) => bytes.reduce((acc, b, i) => acc + b * 2 ** (24 - 8 * i), 0);
  const size = 2 ** (32 - prefix);
  return Math.floor(value(octets) / size) === Math.floor(value(start) / size);
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included), or null. */
function parseV6(text: string): number[] | null {
  let rest = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = [v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!];
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

/** The IPv4 address in the last 32 bits. */
const embeddedV4 = (w: number[]) => [w[6]! >> 8, w[6]! & 255, w[7]! >> 8, w[7]! & 255];

function v6Blocked(w: number[]): boolean {
  const zeros = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return true; // ::
  if (zeros(7) && w[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses
  // reach the embedded IPv4 address: judged by it.
  const nat64 = w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0);
  if ((zeros(5) && (w[5] === 0xffff || w[5] === 0)) || nat64) return v4Blocked(embeddedV4(w));
  const first = w[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique-local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated)
    (first & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}

function v4Blocked(octets: number[]): boolean {
  return V4_BLOCKED.some((block) => inV4Block(octets, block));
}

/** Whether `text` is an IP address literal (IPv4, or IPv6 with or without brackets). */
export function isIpLiteral(text: string): boolean {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  return parseV4(bare) !== null || (bare.includes(':') && parseV6(bare) !== null);
}

/** Whether the address (IPv4, or IPv6 with or without brackets) is one webhooks must not reach. */
export function isPrivateAddress(text: string): boolean {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  const v4 = parseV4(bare);
  if (v4) return v4Blocked(v4);
  const v6 = bare.includes(':') ? parseV6(bare.replace(/%.*$/, '')) : null;
  return v6 !== null && v6Blocked(v6);
}
