// The in-process access tokens behind every Graph call: kept no longer than MSAL would return them
// without a refresh, and never across a re-authorization of the member.
import { AccessTokenMemo } from '@adapters/microsoft/entra/msal-entra.js';

describe('AccessTokenMemo', () => {
  const minutes = (n: number) => n * 60_000;
  let now = 0;
  const memo = () => new AccessTokenMemo(() => now);
  beforeEach(() => (now = Date.UTC(2026, 0, 1)));

  it('returns the token for the same member and grant until five minutes before it expires', () => {
    const tokens = memo();
    tokens.set('w', 'm', 'grant-1', 'token-1', new Date(now + minutes(60)));
    expect(tokens.get('w', 'm', 'grant-1')).toBe('token-1');
    expect(tokens.get('w', 'other', 'grant-1')).toBeNull();
    now += minutes(54);
    expect(tokens.get('w', 'm', 'grant-1')).toBe('token-1');
    now += minutes(1);
    expect(tokens.get('w', 'm', 'grant-1')).toBeNull();
  });

  it('a new grant (a sign-in again, in any instance) drops the token of the old one', () => {
    const tokens = memo();
    tokens.set('w', 'm', 'grant-1', 'token-1', new Date(now + minutes(60)));
    expect(tokens.get('w', 'm', 'grant-2')).toBeNull();
    expect(tokens.get('w', 'm', 'grant-1')).toBeNull();
  });

  it('keeps nothing without an expiry or inside the renewal window, and forgets on demand', () => {
    const tokens = memo();
    tokens.set('w', 'm', 'g', 'no-expiry', null);
    expect(tokens.get('w', 'm', 'g')).toBeNull();
    tokens.set('w', 'm', 'g', 'short', new Date(now + minutes(4)));
    expect(tokens.get('w', 'm', 'g')).toBeNull();
    tokens.set('w', 'm', 'g', 'token', new Date(now + minutes(60)));
    tokens.forget('w', 'm');
    expect(tokens.get('w', 'm', 'g')).toBeNull();
  });

  it('does not keep a token asked for before a forget (a 401 forcing a refresh meanwhile)', () => {
    const tokens = memo();
    const mark = tokens.mark();
    tokens.forget('w', 'm');
    tokens.set('w', 'm', 'g', 'stale', new Date(now + minutes(60)), mark);
    expect(tokens.get('w', 'm', 'g')).toBeNull();
    tokens.set('w', 'm', 'g', 'fresh', new Date(now + minutes(60)), tokens.mark());
    expect(tokens.get('w', 'm', 'g')).toBe('fresh');
  });
});
