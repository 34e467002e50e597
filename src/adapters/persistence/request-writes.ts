// Whether the work of one HTTP request (or job run) wrote what a read cache shows: every statement the ORM sends passes through
// `noteStatement` (MikroORM's `onQuery`), and one that may write marks the request it runs for (an
// AsyncLocalStorage scope opened per request). A request that wrote is answered only once every instance's
// read cache has heard of it (WorkspaceReadCache.settled); one that only read — a refused booking, a GET —
// needs no such wait. Conservative: anything but a plain read, a lock or transaction control counts as a write.
import { AsyncLocalStorage } from 'node:async_hooks';
import { WATCHED_TABLES } from './migrations/migration-0031-workspace-changes.js';

interface RequestWrites {
  wrote: boolean;
}

const scope = new AsyncLocalStorage<RequestWrites>();

/** Statements that never change a row: reads (`select … for update` and advisory locks included) and transaction control. */
const READ_ONLY =
  /^\s*(?:select|show|explain|begin|start\s+transaction|commit|rollback|savepoint|release|set|listen|unlisten)\b/i;

/**
 * The tables whose writes a read cache hears of (migration 0031), and `workspaces`, whose deletion cascades to
 * them: a write that names none of them (the notification inbox, the rate-limit counters) changes nothing a
 * cached read shows.
 */
const WATCHED = new RegExp(`\\b(?:${[...WATCHED_TABLES, 'workspaces'].join('|')})\\b`, 'i');

/** For MikroORM's `onQuery`: marks the current request when `sql` may write a watched table; returns `sql`. */
export function noteStatement(sql: string): string {
  const request = scope.getStore();
  if (request && !request.wrote && !READ_ONLY.test(sql) && WATCHED.test(sql)) request.wrote = true;
  return sql;
}

/** Runs `work` (the rest of a request's handling, or a job's run) in a scope of its own. */
export function inRequestScope<T>(work: () => T): T {
  return scope.run({ wrote: false }, work);
}

/** Whether the current request has sent a statement that may write (false outside a request). */
export function requestWrote(): boolean {
  return scope.getStore()?.wrote ?? false;
}
