// The in-process API key cache: serves only active keys, only while revocations are heard, never a key
// being revoked here, never what a lookup read across a revocation, and nothing past its time to live.
import { ApiKey } from '@domain/workspace/api-key.js';
import { ApiKeyCache } from '@adapters/persistence/api-key-cache.js';

const key = (hash: string) =>
  ApiKey.fromSnapshot({
    id: `id-${hash}`,
    workspaceId: 'ws',
    hash,
    prefix: 'kly_abcdef',
    createdAt: new Date(0),
    revokedAt: null,
  });

/** A database of active keys that counts its reads. */
function database(...hashes: string[]) {
  const active = new Set(hashes);
  const db = {
    reads: 0,
    active,
    load: (hash: string) => async () => {
      db.reads++;
      return active.has(hash) ? key(hash) : null;
    },
  };
  return db;
}

describe('ApiKeyCache', () => {
  it('reads an active key once, then serves it from memory; unknown keys are read every time', async () => {
    const db = database('h1');
    const cache = new ApiKeyCache({ live: true });
    expect((await cache.lookup('h1', db.load('h1')))?.id).toBe('id-h1');
    expect((await cache.lookup('h1', db.load('h1')))?.workspaceId).toBe('ws');
    expect(db.reads).toBe(1);
    expect(await cache.lookup('nope', db.load('nope'))).toBeNull();
    expect(await cache.lookup('nope', db.load('nope'))).toBeNull();
    expect(db.reads).toBe(3);
  });

  it('serves nothing while revocations are not heard, and forgets everything when that changes', async () => {
    const db = database('h1');
    const cache = new ApiKeyCache({ live: false });
    await cache.lookup('h1', db.load('h1'));
    await cache.lookup('h1', db.load('h1'));
    expect(db.reads).toBe(2);
    cache.setLive(true);
    await cache.lookup('h1', db.load('h1'));
    await cache.lookup('h1', db.load('h1'));
    expect(db.reads).toBe(3);
    cache.setLive(false);
    cache.setLive(true);
    await cache.lookup('h1', db.load('h1'));
    expect(db.reads).toBe(4);
  });

  it('drops a key when it is revoked here or elsewhere, and does not cache it again while being revoked', async () => {
    const db = database('h1', 'h2');
    const cache = new ApiKeyCache({ live: true });
    await cache.lookup('h1', db.load('h1'));
    cache.beingRevoked('h1');
    // Before the revocation commits the database still says active: read, but not cached.
    expect(await cache.lookup('h1', db.load('h1'))).not.toBeNull();
    expect(await cache.lookup('h1', db.load('h1'))).not.toBeNull();
    expect(db.reads).toBe(3);
    db.active.delete('h1');
    cache.revoked('h1');
    expect(await cache.lookup('h1', db.load('h1'))).toBeNull();
    await cache.lookup('h2', db.load('h2'));
    cache.revoked('h2');
    db.active.delete('h2');
    expect(await cache.lookup('h2', db.load('h2'))).toBeNull();
  });

  it('does not cache what a lookup read while a revocation came in', async () => {
    const db = database('h1');
    const cache = new ApiKeyCache({ live: true });
    let release!: () => void;
    const slow = cache.lookup('h1', async () => {
      await new Promise<void>((r) => (release = r));
      return key('h1');
    });
    await Promise.resolve();
    cache.revoked('h1');
    release();
    await slow;
    db.active.delete('h1');
    expect(await cache.lookup('h1', db.load('h1'))).toBeNull();
  });

  it('lets an entry serve for its time to live only, and keeps at most maxEntries', async () => {
    let now = 0;
    const db = database('a', 'b', 'c');
    const cache = new ApiKeyCache({ live: true, ttlMs: 1000, maxEntries: 2, now: () => now });
    await cache.lookup('a', db.load('a'));
    now = 999;
    await cache.lookup('a', db.load('a'));
    expect(db.reads).toBe(1);
    now = 1000;
    await cache.lookup('a', db.load('a'));
    expect(db.reads).toBe(2);
    await cache.lookup('b', db.load('b'));
    await cache.lookup('c', db.load('c'));
    expect(cache.size).toBe(2);
  });
});
