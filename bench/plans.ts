// The plans PostgreSQL picks for the statements the app really sends: `captureStatements` records what goes
// through node-postgres (MikroORM's driver, and the slots read model's prepared statements) while some work
// runs, and `explainAll` asks the server to EXPLAIN each one with its own parameters and lists the scans it
// would make. Used by `npm run bench:scale` (on a million bookings) and test/integration/hot-path-indexes.
import pg from 'pg';
import { statementsOf } from '@adapters/persistence/joined-statements-client.js';

export interface Statement {
  text: string;
  values: unknown[];
}

export interface Capture {
  /** The distinct statements (by text) sent since the capture started, each with the values it was first sent with. */
  statements(): Statement[];
  stop(): void;
}

/** Statements that have a plan worth reading (not BEGIN, COMMIT, SET, SAVEPOINT …). */
const PLANNED = /^\s*(select|insert|update|delete|with)\b/i;

export function captureStatements(): Capture {
  const seen = new Map<string, Statement>();
  const previous = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    const statement: Statement | null =
      typeof first === 'string'
        ? { text: first, values: Array.isArray(second) ? second : [] }
        : first && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string'
          ? {
              text: (first as { text: string }).text,
              values: (first as { values?: unknown[] }).values ?? (Array.isArray(second) ? second : []),
            }
          : null;
    // The server's client sends a transaction's begin and its writes at commit with a neighbour, as one text.
    for (const text of statement ? statementsOf(statement.text) : []) {
      if (PLANNED.test(text) && !seen.has(text)) seen.set(text, { text, values: statement!.values });
    }
    return previous.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return {
    statements: () => [...seen.values()],
    stop: () => {
      pg.Client.prototype.query = previous as typeof pg.Client.prototype.query;
    },
  };
}

export interface PlanReport {
  statement: Statement;
  /** Every scan of the plan, e.g. "Index Scan using bookings_pkey on bookings", "Seq Scan on workspaces". */
  scans: string[];
  /** Sequential scans of tables with at least `largeRows` rows: a hot path must not make any. */
  seqScansOfLargeTables: string[];
  totalCost: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  Plans?: PlanNode[];
}

/**
 * EXPLAINs (without running) each statement on the database of `url`, after ANALYZE so the planner knows the
 * sizes. A table counts as large from `largeRows` rows (its statistics' estimate).
 */
export async function explainAll(
  url: string,
  statements: Statement[],
  largeRows: number,
): Promise<PlanReport[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const large = new Set(
      (
        await client.query<{ relname: string }>(
          `select relname from pg_class where relkind = 'r' and reltuples >= $1
             and relnamespace = 'public'::regnamespace`,
          [largeRows],
        )
      ).rows.map((r) => r.relname),
    );
    const reports: PlanReport[] = [];
    for (const statement of statements) {
      const res = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `explain (format json) ${statement.text}`,
        statement.values,
      );
      const plan = res.rows[0]!['QUERY PLAN'][0]!.Plan;
      const scans: string[] = [];
      const seq: string[] = [];
      const walk = (node: PlanNode) => {
        if (node['Relation Name'] && /Scan$/.test(node['Node Type'])) {
          const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
          scans.push(`${node['Node Type']}${using} on ${node['Relation Name']}`);
          if (node['Node Type'] === 'Seq Scan' && large.has(node['Relation Name']))
            seq.push(node['Relation Name']);
        }
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(plan);
      reports.push({ statement, scans, seqScansOfLargeTables: seq, totalCost: plan['Total Cost'] ?? 0 });
    }
    return reports;
  } finally {
    await client.end();
  }
}

/** The first line of a statement, shortened, to name it in a report. */
export function shortSql(text: string, length = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
