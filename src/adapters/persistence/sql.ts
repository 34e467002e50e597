// Raw SQL that joins the current transaction: MikroORM's SqlEntityManager.execute resolves the active
// context (a `transactional()` fork), where `getConnection().execute` would run beside it — on PGlite's
// single connection that waits for the transaction forever, and on a server it escapes the transaction.
import type { EntityManager } from '@mikro-orm/core';

export function execute<T>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  // Dates as ISO strings: this path formats parameters itself and writes a Date it does not recognise
  // (one made in another realm, e.g. by structuredClone under a test runner) unquoted.
  const values = params.map((p) =>
    Object.prototype.toString.call(p) === '[object Date]' ? (p as Date).toISOString() : p,
  );
  return (em as unknown as { execute(q: string, p: unknown[]): Promise<T[]> }).execute(query, values);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are untrusted: anything that is not a UUID cannot exist, and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A timestamp column as read back (a Date on a server, a string on some paths), or null. */
export function dateOrNull(value: Date | string | null | undefined): Date | null {
  return value === null || value === undefined ? null : new Date(value);
}

/**
 * The lease claim every queue table uses: one statement takes up to `limit` due rows that no live lease
 * holds, skipping rows another instance has locked (`for update skip locked`), sets their lease, and
 * returns them. Its parameters are those of `set`, then of `due`, then the limit.
 */
export function leaseClaim(claim: {
  table: string;
  key: string;
  set: string;
  due: string;
  orderBy: string;
  returning: string;
}): string {
  return `update ${claim.table} set ${claim.set}
       where ${claim.key} in (
         select ${claim.key} from ${claim.table} where ${claim.due}
         order by ${claim.orderBy} limit ? for update skip locked)
       returning ${claim.returning}`;
}

/** Finds that read the row as stored now, not an entity this EntityManager loaded earlier. */
export const fresh = { disableIdentityMap: true } as const;
