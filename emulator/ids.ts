// Identifier shapes that look like Microsoft's (GUIDs, Exchange item ids, change keys) so that code under
// test never comes to depend on an emulator-only format.
import { randomBytes, randomUUID } from 'node:crypto';

export const guid = () => randomUUID();

/** Exchange REST ids are long base64 strings starting with "AAMkA"; they may contain '-' and '_' and end in '='. */
export const exchangeId = () => `AAMkA${randomBytes(105).toString('base64url')}=`;

export const changeKey = () => randomBytes(12).toString('base64');

export const opaque = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const iCalUId = () =>
  `040000008200E00074C5B7101A82E00800000000${randomBytes(28).toString('hex').toUpperCase()}`;
