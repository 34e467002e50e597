// Answers whether the database takes queries right now.
import type { MikroORM } from '@mikro-orm/core';

export class DatabaseHealth {
  constructor(private readonly orm: MikroORM) {}

  async isUp(): Promise<boolean> {
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('timeout')), 2000).unref(),
      );
      await Promise.race([this.orm.em.getConnection().execute('select 1'), timeout]);
      return true;
    } catch {
      return false;
    }
  }
}
