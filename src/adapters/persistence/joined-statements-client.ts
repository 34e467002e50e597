// A node-postgres client that saves a transaction's round trips on a PostgreSQL server, sending the same
// statements in the same order on the same connection:
// - `begin` goes with the transaction's first statement. MikroORM (through Kysely) sends `begin` on its own and
//   awaits it; this client answers it at once and prefixes it to the next statement as one simple-protocol
//   query ("begin; <statement>") whose answer is the statement's. What the transaction reads and locks is
//   unchanged: a READ COMMITTED snapshot is taken per statement, a REPEATABLE READ one at the first statement.
// - A statement marked WITH_NEXT (sql.ts `executeWithNext`: a write or a lock whose answer nobody reads) waits,
//   inside a transaction, for the next statement or the commit and goes with it ("<lock>; <read>",
//   "<write>; commit"). The statements of one query run one after the other, each on a snapshot of its own taken
//   when it starts (READ COMMITTED), so a read after a lock sees what was committed before the lock was granted,
//   and a transaction reads its own writes; a failing one fails the statement it went with, or the commit, and
//   the transaction rolls back as it would have.
// A transaction that sends nothing sends neither `begin` nor its end; one that rolls back drops what it had not
// sent. A statement with parameters (extended protocol, one statement only) or any other kind of query
// gets what waits queued ahead of it (node-postgres sends a client's queries in order), as before.
import pg from 'pg';

/** Marks a statement as one that may wait for the next statement or the commit (see the header). */
export const WITH_NEXT = '/* with next */ ';

/** Joins the statements sent as one query, so that instrumentation can tell them apart (`statementsOf`). */
const JOINED = ';\n/* and then */\n';

/** The statements of a text this client sent, as their callers wrote them (for instrumentation: plans, counts). */
export function statementsOf(text: string): string[] {
  return text.split(JOINED).map((statement) => statement.replace(WITH_NEXT, ''));
}

const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const COMMIT = /^\s*(commit|end)\s*;?\s*$/i;
const ROLLBACK = /^\s*(rollback|abort)\s*;?\s*$/i;

type Answer = pg.QueryResult | pg.QueryResult[];

export class JoinedStatementsClient extends pg.Client {
  /** Inside a transaction (its `begin` seen, its end not yet). */
  private inTransaction = false;
  /** Whether anything of the transaction reached the server yet. */
  private begun = false;
  /** What waits to be sent, in order: the transaction's `begin` and writes marked WITH_NEXT. */
  private waiting: string[] = [];

  // node-postgres's query() is overloaded (text, config object, Submittable; promise or callback): only a text
  // with a promise is rewritten, everything else is passed through behind what waits.
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const promised = typeof values !== 'function' && callback === undefined;
    const params = values as unknown[] | undefined;
    const simple = typeof text === 'string' && promised && (params === undefined || params.length === 0);
    if (simple && !this.inTransaction && BEGIN.test(text)) {
      this.inTransaction = true;
      this.begun = false;
      this.waiting = [text];
      return Promise.resolve(answered('BEGIN')) as never;
    }
    if (simple && this.inTransaction && text.startsWith(WITH_NEXT)) {
      this.waiting.push(text);
      return Promise.resolve(answered('WITH NEXT')) as never;
    }
    if (simple && this.inTransaction && ROLLBACK.test(text)) {
      this.inTransaction = false;
      this.waiting = [];
      // Nothing reached the server: there is nothing to roll back.
      if (!this.begun) return Promise.resolve(answered('ROLLBACK')) as never;
      return super.query(text) as never;
    }
    if (simple && this.inTransaction && COMMIT.test(text) && !this.begun && this.waiting.length === 1) {
      // Only the `begin` waits: the transaction sent nothing and has nothing to commit.
      this.inTransaction = false;
      this.waiting = [];
      return Promise.resolve(answered('COMMIT')) as never;
    }
    const ahead = this.waiting;
    this.waiting = [];
    if (ahead.length > 0) this.begun = true;
    if (simple && this.inTransaction && COMMIT.test(text)) {
      // The transaction ends only once its commit succeeded; after a failure its rollback is still sent.
      return this.together(ahead, text).then((answer) => {
        this.inTransaction = false;
        return answer;
      }) as never;
    }
    if (simple) return this.together(ahead, text) as never;
    for (const statement of ahead) this.sendAhead(statement);
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  /** `ahead` and `text` as one simple-protocol query, answered as `text` alone would be. */
  private together(ahead: string[], text: string): Promise<Answer> {
    if (ahead.length === 0) return super.query(text) as unknown as Promise<Answer>;
    const sent = super.query([...ahead, text].join(JOINED)) as unknown as Promise<Answer>;
    return sent.then((answer) => {
      if (!Array.isArray(answer)) return answer;
      const own = answer.slice(ahead.length);
      return own.length === 1 ? own[0]! : own;
    });
  }

  /**
   * Queues a waiting statement before the query that follows. Were it to fail, the transaction is aborted and
   * the query after it fails too, which its caller sees.
   */
  private sendAhead(statement: string): void {
    (super.query(statement) as unknown as Promise<unknown>).catch(() => undefined);
  }
}

function answered(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, rows: [], fields: [] } as unknown as pg.QueryResult;
}
