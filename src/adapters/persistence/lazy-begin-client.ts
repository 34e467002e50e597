// A node-postgres client that sends a transaction's `begin` together with its first statement: one round trip
// instead of two for every transaction on a PostgreSQL server (a booking makes two). MikroORM (through Kysely)
// sends `begin` on its own and awaits it before the first statement; this client answers that `begin` at once
// and prefixes it to the next statement as one simple-protocol query ("begin; <statement>"), whose answer is
// the statement's. The server sees the same statements in the same order on the same connection, so what a
// transaction reads and locks is unchanged (a READ COMMITTED snapshot is taken per statement, a REPEATABLE READ
// one at the first statement, not at `begin`). A transaction that sends nothing sends neither `begin` nor its
// `commit`/`rollback`. A first statement with parameters (extended protocol, which takes one statement) or
// anything else gets the `begin` queued ahead of it, as before.
import pg from 'pg';

const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const END = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

type Answer = pg.QueryResult | pg.QueryResult[];

export class LazyBeginClient extends pg.Client {
  /** The `begin` answered but not sent yet (null when none is pending). */
  private pendingBegin: string | null = null;

  // node-postgres's query() is overloaded (text, config object, Submittable; promise or callback): only a text
  // with a promise is rewritten, everything else is passed through once a pending `begin` went ahead of it.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    const promised = typeof values !== 'function' && callback === undefined;
    if (typeof config === 'string' && promised) {
      const params = values as unknown[] | undefined;
      if (this.pendingBegin === null && BEGIN.test(config)) {
        this.pendingBegin = config;
        return Promise.resolve(answered('BEGIN')) as never;
      }
      if (this.pendingBegin !== null) {
        const begin = this.pendingBegin;
        this.pendingBegin = null;
        // Nothing was sent in this transaction: there is nothing to end.
        if (END.test(config)) return Promise.resolve(answered(config.trim().toUpperCase())) as never;
        if (params === undefined || params.length === 0) {
          const sent = super.query(`${begin};\n${config}`) as unknown as Promise<Answer>;
          return sent.then(withoutBegin) as never;
        }
        this.sendAhead(begin);
      }
    } else if (this.pendingBegin !== null) {
      const begin = this.pendingBegin;
      this.pendingBegin = null;
      this.sendAhead(begin);
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  /**
   * Queues `begin` before the statement that follows (node-postgres sends a client's queries in order). Were
   * it to fail, the connection is broken and the statement after it fails too, which its caller sees.
   */
  private sendAhead(begin: string): void {
    (super.query(begin) as unknown as Promise<unknown>).catch(() => undefined);
  }
}

/** The answer to "begin; <statement>" as the statement's own: its result (or results, for several). */
function withoutBegin(answer: Answer): Answer {
  if (!Array.isArray(answer)) return answer;
  const rest = answer.slice(1);
  return rest.length === 1 ? rest[0]! : rest;
}

function answered(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, rows: [], fields: [] } as unknown as pg.QueryResult;
}
