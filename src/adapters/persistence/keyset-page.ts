// Keyset paging over (created_at, id) for MikroORM finds: the filter that starts after a cursor, and the
// find options that fetch one row more than the page (to know whether another page follows).
import { decodeCursor, type PageRequest } from '@application/shared/page.js';

export function pagedWhere(where: Record<string, unknown>, page: PageRequest): Record<string, unknown> {
  if (!page.cursor) return where;
  const after = decodeCursor(page.cursor);
  return {
    ...where,
    $or: [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, id: { $gt: after.id } }],
  };
}

export function pagedOptions(page: PageRequest) {
  return {
    disableIdentityMap: true,
    orderBy: { createdAt: 'asc', id: 'asc' },
    limit: page.limit + 1,
  } as const;
}
