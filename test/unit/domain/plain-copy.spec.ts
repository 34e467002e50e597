// plainCopy: the snapshots' deep copy shares nothing with what it copied, and keeps every value.
import { runInNewContext } from 'node:vm';
import { plainCopy } from '@domain/shared/plain-copy.js';

describe('plainCopy', () => {
  const original = () => ({
    id: 'b1',
    count: 3,
    flag: false,
    none: null,
    missing: undefined,
    at: new Date('2026-12-08T10:00:00Z'),
    list: [{ at: new Date('2026-12-09T10:00:00Z'), tags: ['a', 'b'] }],
    nested: { deeper: { value: 'x' } },
  });

  it('keeps every value, undefined and null included, with Dates as Dates of this realm', () => {
    const value = original();
    const copy = plainCopy(value);
    expect(copy).toEqual(value);
    expect(Object.keys(copy)).toEqual(Object.keys(value));
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.list[0]!.at).toBeInstanceOf(Date);
    expect(Array.isArray(copy.list[0]!.tags)).toBe(true);
  });

  it('shares no object, array or Date with the original', () => {
    const value = original();
    const copy = plainCopy(value);
    copy.at.setTime(0);
    copy.list[0]!.at.setTime(0);
    copy.list[0]!.tags.push('c');
    copy.list.push({ at: new Date(0), tags: [] });
    copy.nested.deeper.value = 'y';
    expect(value).toEqual(original());
  });

  it('copies a Date of another realm (a structured clone under a sandbox) as a Date of this one', () => {
    const foreign = runInNewContext('({ at: new Date(Date.UTC(2026, 11, 8, 10)), list: [new Date(0)] })') as {
      at: Date;
      list: Date[];
    };
    expect(foreign.at instanceof Date).toBe(false);
    const copy = plainCopy(foreign);
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at.toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(copy.list[0]).toBeInstanceOf(Date);
    expect(copy.list[0]!.getTime()).toBe(0);
  });

  it('returns primitives as they are', () => {
    expect(plainCopy(7)).toBe(7);
    expect(plainCopy('text')).toBe('text');
    expect(plainCopy(null)).toBeNull();
    expect(plainCopy(undefined)).toBeUndefined();
  });
});
