// Raw SQL that joins the current transaction: MikroORM's SqlEntityManager.execute resolves the active
// context (a `transactional()` fork), where `getConnection().execute` would run beside it — on PGlite's
// single connection that waits for the transaction forever, and on a server it escapes the transaction.
// Beside it, the few helpers every repository shares: reading columns back, and writing named ones.
import type { EntityManager, EntitySchema } from '@mikro-orm/core';
import { isUuid } from '@domain/shared/validation.js';
import { WITH_NEXT } from './joined-statements-client.js';

export function execute<T>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  // Dates as ISO strings: this path formats parameters itself and writes a Date it does not recognise
  // (one made in another realm, e.g. by structuredClone under a test runner) unquoted.
  const values = params.map((p) =>
    Object.prototype.toString.call(p) === '[object Date]' ? (p as Date).toISOString() : p,
  );
  return (em as unknown as { execute(q: string, p: unknown[]): Promise<T[]> }).execute(query, values);
}

/**
 * A write or a lock whose answer nobody reads (none is given: no rows, no count), sent with the transaction's
 * next statement or its commit on a PostgreSQL server (joined-statements-client.ts), at once elsewhere (outside a
 * transaction, on PGlite). Its failure then fails that statement or the commit: only for a statement whose
 * errors whoever sees them tells apart (a write conflict: the repository's next statement, or the committing
 * MikroOrmUnitOfWork) or that cannot fail but for a bug.
 */
export async function executeWithNext(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<void> {
  await execute(em, WITH_NEXT + query, params);
}

/** A timestamp column as read back (a Date on a server, a string on some paths), or null. */
export function dateOrNull(value: Date | string | null | undefined): Date | null {
  return value === null || value === undefined ? null : new Date(value);
}

/** A jsonb value as the driver hands it over: parsed already (pg, PGlite) or as text. */
export function jsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Rows read with plain SQL as the schema's records (columns to properties, timestamps to Dates), so a
 * table has one mapper to its domain type whether the ORM or a hot path's SQL read the row.
 */
export function recordsOf<T extends object>(
  em: EntityManager,
  schema: EntitySchema<T>,
  rows: Record<string, unknown>[],
): T[] {
  const meta = em.getMetadata(schema);
  return rows.map((row) => em.getDriver().mapResult(row as never, meta) as T);
}

/**
 * The records of one workspace whose `column` is one of `ids`, in one plain statement: for the reads on
 * every slots query and booking, where the ORM's find costs ~10× more CPU. Ids that are not UUIDs match
 * nothing.
 */
export async function findIn<T extends object>(
  em: EntityManager,
  schema: EntitySchema<T>,
  column: string,
  workspaceId: string,
  ids: readonly string[],
): Promise<T[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const rows = await execute<Record<string, unknown>>(
    em,
    `select * from ${em.getMetadata(schema).tableName} where workspace_id = ? and ${column} in (${valid.map(() => '?').join(',')})`,
    [workspaceId, ...valid],
  );
  return recordsOf(em, schema, rows);
}

/** A column's value and, where PostgreSQL needs one, the cast of its parameter. */
export type Column = { value: unknown; cast?: 'jsonb' | 'tstzrange' };

const placeholder = (c: Column) => (c.cast ? `?::${c.cast}` : '?');

/**
 * Named columns for an INSERT: `(a, b)`, `(?, ?::jsonb)` and their values in that order, so an INSERT and
 * an UPDATE built from the same record can never write a value into another column.
 */
export function insertList(columns: Record<string, Column>): {
  names: string;
  placeholders: string;
  values: unknown[];
} {
  const entries = Object.entries(columns);
  return {
    names: entries.map(([name]) => name).join(', '),
    placeholders: entries.map(([, c]) => placeholder(c)).join(', '),
    values: entries.map(([, c]) => c.value),
  };
}

/** Named columns for an UPDATE: `a = ?, b = ?::jsonb` and their values in that order. */
export function setList(columns: Record<string, Column>): { assignments: string; values: unknown[] } {
  const entries = Object.entries(columns);
  return {
    assignments: entries.map(([name, c]) => `${name} = ${placeholder(c)}`).join(', '),
    values: entries.map(([, c]) => c.value),
  };
}

/**
 * The lease claim every queue table uses: one statement takes up to `limit` due rows that no live lease
 * holds, skipping rows another instance has locked (`for update skip locked`), sets their lease, and
 * returns them. Its parameters are those of `set`, then of `due`, then the limit. `alias` names the
 * table inside the pick, for a `due` that compares a row with others of the same table.
 */
export function leaseClaim(claim: {
  table: string;
  alias?: string;
  key: string;
  set: string;
  due: string;
  orderBy: string;
  returning: string;
}): string {
  const as = claim.alias ? `${claim.alias}.` : '';
  return `update ${claim.table} set ${claim.set}
       where ${claim.key} in (
         select ${as}${claim.key} from ${claim.table} ${claim.alias ?? ''} where ${claim.due}
         order by ${claim.orderBy} limit ? for update skip locked)
       returning ${claim.returning}`;
}

/** Finds that read the row as stored now, not an entity this EntityManager loaded earlier. */
export const fresh = { disableIdentityMap: true } as const;
