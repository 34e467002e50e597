// Keyset paging for the in-memory fakes, the twin of persistence/keyset-page.ts: rows in (key, id) order,
// the ones after the cursor, one more than the page to know whether another follows.
import { decodeCursor, toPage, type Page, type PageRequest } from '@application/shared/page.js';

export interface InMemoryKeyset<T> {
  /** The timestamp the cursor's position is on (default: createdAt). */
  key?: (row: T) => Date;
  order?: 'asc' | 'desc';
}

export function pageOf<T extends { id: string }, R>(
  rows: T[],
  page: PageRequest,
  present: (row: T) => R,
  { key = (row) => (row as unknown as { createdAt: Date }).createdAt, order = 'asc' }: InMemoryKeyset<T> = {},
): Page<R> {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: { at: number; id: string }, b: { at: number; id: string }) =>
    sign * (a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const start = after ? { at: after.createdAt.getTime(), id: after.id } : null;
  const keyed = rows
    .map((row) => ({ row, at: key(row).getTime(), id: row.id }))
    .sort(compare)
    .filter((k) => !start || compare(k, start) > 0)
    .slice(0, page.limit + 1)
    .map((k) => ({ row: k.row, createdAt: new Date(k.at), id: k.id }));
  return toPage(keyed, page.limit, (k) => present(k.row));
}
