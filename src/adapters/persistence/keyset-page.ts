// Keyset paging for MikroORM finds, the one place a list's cursor becomes SQL: the filter that starts
// after a cursor, and the find options that fetch one row more than the page (to know whether another
// page follows). A list pages over (createdAt, id) oldest first unless it names another key or order.
import { raw } from '@mikro-orm/core';
import { decodeCursor, type PageRequest } from '@application/shared/page.js';
import { fresh } from './sql.js';

export interface Keyset {
  /** The timestamp property the cursor's position is on (with `id` to break ties). */
  by?: string;
  order?: 'asc' | 'desc';
}

export function pagedWhere(
  where: Record<string, unknown>,
  page: PageRequest,
  { by = 'createdAt', order = 'asc' }: Keyset = {},
): Record<string, unknown> {
  if (!page.cursor) return where;
  const after = decodeCursor(page.cursor);
  const column = by.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const past = order === 'asc' ? '>' : '<';
  // A row comparison rather than `a > x or (a = x and id > y)`, so that an index on (…, key, id) starts
  // at the cursor instead of filtering every earlier row.
  const afterCursor = raw<string>(
    (alias) => `(${alias}.${column}, ${alias}.id) ${past} (?::timestamptz, ?::uuid)`,
    [after.createdAt.toISOString(), after.id],
  );
  return { ...where, [afterCursor]: [] };
}

export function pagedOptions(page: PageRequest, { by = 'createdAt', order = 'asc' }: Keyset = {}) {
  return {
    ...fresh,
    orderBy: { [by]: order, id: order },
    limit: page.limit + 1,
  } as const;
}
