// TLS material for the emulator: a throw-away CA and a server certificate for 127.0.0.1 and localhost,
// so that clients trust the emulator by being handed one CA certificate, never by disabling checks.
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** The CA that signed `cert`: what a client must trust. Equal to `cert` when self-signed. */
  ca: string;
}

export async function generateTlsMaterial(
  hosts: string[] = ['127.0.0.1', 'localhost'],
): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'kailenty Microsoft 365 emulator CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const altNames = hosts.map((h) =>
    /^[\d.]+$/.test(h) || h.includes(':') ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
  );
  const server = await generate([{ name: 'commonName', value: hosts[0] }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: server.private, cert: server.cert, ca: ca.cert };
}
