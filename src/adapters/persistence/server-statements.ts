// Hot reads as named statements prepared on the PostgreSQL server: parsed and planned once per connection, and
// sent through the driver's pool without the ORM's query building. Inside a transaction and on PGlite (one
// connection) the same text goes through the ORM instead, so that it joins the transaction.
import type { EntityManager } from '@mikro-orm/core';
import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { execute } from './sql.js';
import type { WorkspaceReadCache } from './workspace-read-cache.js';

export interface ServerStatement {
  /** Unique per statement text: the server keeps one prepared statement of this name per connection. */
  name: string;
  /** With `?` placeholders (the ORM's); numbered `$1, $2, …` for the server. */
  text: string;
  numbered: string;
}

export function serverStatement(name: string, text: string): ServerStatement {
  let n = 0;
  return { name, text, numbered: text.replace(/\?/g, () => `$${++n}`) };
}

export class ServerStatements {
  private pool: Promise<Pool> | null | undefined;

  constructor(private readonly em: EntityManager) {}

  /** The rows of `statement` with these parameters (strings: both paths pass them as they are). */
  async rows<T>(statement: ServerStatement, params: (string | null)[]): Promise<T[]> {
    const pool = this.em.getContext().isInTransaction() ? null : await this.serverPool();
    if (!pool) return execute<T>(this.em, statement.text, params);
    const result = await pool.query({ name: statement.name, text: statement.numbered, values: params });
    return result.rows as T[];
  }

  /**
   * `rows`, from `cache` while it may serve (`WorkspaceReadCache`: no change of `workspaceId` heard since
   * they were read); never inside a transaction, whose reads must see its own writes. The rows are frozen.
   */
  async cachedRows<T>(
    cache: WorkspaceReadCache | null,
    workspaceId: string,
    statement: ServerStatement,
    params: (string | null)[],
  ): Promise<readonly T[]> {
    if (!cache || this.em.getContext().isInTransaction()) return this.rows<T>(statement, params);
    return cache.read(workspaceId, `${statement.name}\u0000${params.join('\u0000')}`, () =>
      this.rows<T>(statement, params),
    );
  }

  private serverPool(): Promise<Pool> | null {
    if (this.pool === undefined) {
      const connection = this.em.getConnection();
      this.pool =
        connection instanceof PostgreSqlConnection ? (connection.getNativeClient() as Promise<Pool>) : null;
    }
    return this.pool;
  }
}
