// The caller's IP address as the audit trail keeps it: Fastify's `request.ip` (which follows
// X-Forwarded-For only as far as the trustProxy setting allows), normalised so that one client reads the
// same whichever form it arrived in; the socket's own address when `request.ip` is not an IP address.
import ipaddr from 'ipaddr.js';
import type { FastifyRequest } from 'fastify';

/** IPv4 in dotted decimal (an IPv4-mapped IPv6 address included), IPv6 per RFC 5952 without a zone. */
export function normalizeAddress(value: string | undefined): string | null {
  if (!value || !ipaddr.isValid(value)) return null;
  const address = ipaddr.process(value);
  return address.kind() === 'ipv4'
    ? address.toString()
    : new ipaddr.IPv6((address as ipaddr.IPv6).parts).toRFC5952String();
}

export function clientAddress(request: FastifyRequest): string | null {
  return normalizeAddress(request.ip) ?? normalizeAddress(request.socket?.remoteAddress);
}
