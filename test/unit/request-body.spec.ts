// How deep a parsed JSON body nests, measured without recursion (it is what must not recurse).
import { MAX_JSON_DEPTH, depthOf } from '@adapters/http/request-body.js';

describe('depthOf', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(depthOf(null)).toBe(0);
    expect(depthOf('text')).toBe(0);
    expect(depthOf({})).toBe(1);
    expect(depthOf({ a: [1, { b: 'x' }], c: null })).toBe(3);
  });

  it('stops soon past the limit, however deep the value, without overflowing the stack', () => {
    let value: unknown = null;
    for (let i = 0; i < 200_000; i++) value = [value];
    expect(depthOf(value)).toBe(MAX_JSON_DEPTH + 1);
  });
});
