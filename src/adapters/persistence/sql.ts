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
