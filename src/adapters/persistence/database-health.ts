// Answers whether the database takes queries right now, and whether every checked-in migration is applied.
import type { MikroORM } from '@mikro-orm/core';

const TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref(),
  );
  return Promise.race([work, timeout]);
}

export class DatabaseHealth {
  constructor(private readonly orm: MikroORM) {}

  async isUp(): Promise<boolean> {
    return (await this.answer(() => this.orm.em.getConnection().execute('select 1'))) !== null;
  }

  /**
   * What `query` answers, or null when the database errs or takes longer than the probe's timeout: a query
   * that needs the database anyway doubles as the "is it up" probe, without a `select 1` of its own.
   */
  async answer<T>(query: () => Promise<T>): Promise<T | null> {
    try {
      return await withTimeout(query());
    } catch {
      return null;
    }
  }

  /** Names of the migrations this build carries that the database has not applied (null: it did not answer). */
  async pendingMigrations(): Promise<string[] | null> {
    try {
      return (await withTimeout(this.orm.migrator.getPending())).map((m) => m.name);
    } catch {
      return null;
    }
  }
}
