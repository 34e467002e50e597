// Hot reads served from the process without a database round trip, yet current across instances: the warm
// slots read, `GET /v1/event-types/{id}` and `GET /v1/bookings/{id}` (their statements' rows, by workspace).
//
// How it stays current. Every statement that writes a table these reads rest on notifies the workspaces it
// touched (migration 0031's triggers), delivered at commit to every instance's listening connection, in
// commit order. A cached entry remembers the notification count (`seq`) when its read began and serves only
// while no notification for its workspace has come since. A read that overlapped a change is not kept.
// Nothing is trusted while this instance is not listening (before LISTEN, and whenever that connection is
// lost: a notification may have been missed), and everything goes when it listens again. On PGlite there is
// no listener: every read goes to the database, as without this cache.
//
// How prompt. A request that wrote (request-writes.ts notes its statements) is answered only after
// `settled()`: a barrier notification sent after its commit, which every listening instance acknowledges
// once it has handled every notification before it (PostgreSQL delivers them in commit order). So any read,
// on any instance, that starts after a write's answer sees the write. Background writes (the calendar sync,
// Outlook changes heard by the jobs) reach every instance when their notification does, at their commit,
// and the webhook sender waits for `settled()` before telling anyone of them.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/core';
import { WORKSPACE_CHANGED_CHANNEL } from './migrations/migration-0031-workspace-changes.js';
import { Acknowledgements, PostgresListener } from './postgres-listener.js';
import { isEmbedded } from './orm.js';

const BARRIER_CHANNEL = 'kailenty_changes_barrier';
const BARRIER_ACK_CHANNEL = 'kailenty_changes_barrier_ack';
const LISTENER_NAME = 'kailenty-workspace-changes';
/** How long `settled()` waits for the other instances (one that died meanwhile never answers). */
const SETTLE_MS = 2000;
/** Entries kept at most; the oldest go first. */
const MAX_ENTRIES = 5000;

interface Entry {
  workspaceId: string;
  /** `seq` when the read began. */
  seq: number;
  value: unknown;
}

export class WorkspaceReadCache {
  private readonly listener: PostgresListener | null;
  private readonly entries = new Map<string, Entry>();
  /** Notifications handled so far (and changes of `live`). */
  private seq = 0;
  /** `seq` of the last notification per workspace. */
  private readonly changed = new Map<string, number>();
  /** Entries read before this `seq` are void (a missed notification, or all workspaces changed). */
  private voidBefore = 0;
  private live = false;
  private readonly barriers = new Acknowledgements();

  constructor(
    orm: MikroORM,
    private readonly logger = new Logger('WorkspaceReadCache'),
  ) {
    const serverUrl = isEmbedded(orm) ? null : (orm.config.get('clientUrl') as string);
    this.listener = serverUrl
      ? new PostgresListener(
          serverUrl,
          LISTENER_NAME,
          [WORKSPACE_CHANGED_CHANNEL, BARRIER_CHANNEL, BARRIER_ACK_CHANNEL],
          {
            onNotification: (channel, payload) => this.heard(channel, payload),
            onLive: (live) => this.setLive(live),
          },
        )
      : null;
  }

  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.close();
  }

  /** Whether entries may serve now (this instance hears every change). */
  get serving(): boolean {
    return this.live;
  }

  /**
   * What `load` reads for `key` in `workspaceId`, from the cache while no change of that workspace has been
   * heard since it was read. The value is frozen (deeply): every caller shares it.
   */
  async read<T>(workspaceId: string, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.live) return load();
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.workspaceId === workspaceId && this.current(entry)) return entry.value as T;
      this.entries.delete(key);
    }
    const seq = this.seq;
    const value = await load();
    const fresh: Entry = { workspaceId, seq, value };
    if (this.live && this.current(fresh)) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { ...fresh, value: deepFreeze(value) });
    }
    return value;
  }

  /**
   * Resolves once every listening instance has handled every change committed before this call (at most
   * 2 s: an instance that died meanwhile never answers; a warning says so). Immediate without a listener.
   */
  async settled(): Promise<void> {
    const listener = this.listener;
    if (!listener?.live) return;
    const token = randomUUID();
    this.barriers.expect(token);
    try {
      const [row] = await listener.query<{ n: number }>(
        `select pg_notify($1, $2), (select count(*)::int from pg_stat_activity
                                     where application_name = $3 and datname = current_database()) as n`,
        [BARRIER_CHANNEL, token, LISTENER_NAME],
      );
      const expected = Number(row?.n ?? 0);
      const heard = await this.barriers.wait(token, expected, SETTLE_MS);
      if (heard < expected) {
        this.logger.warn(
          `${heard} of ${expected} listening instances confirmed a change within ${SETTLE_MS / 1000} s; the others see it when its notification reaches them.`,
        );
      }
    } catch (error) {
      this.barriers.forget(token);
      this.logger.warn(
        `Could not confirm a change with the other instances: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private current(entry: Entry): boolean {
    return entry.seq >= this.voidBefore && (this.changed.get(entry.workspaceId) ?? 0) <= entry.seq;
  }

  private heard(channel: string, payload: string): void {
    if (channel === WORKSPACE_CHANGED_CHANNEL) {
      this.seq++;
      if (payload === '*') {
        this.voidBefore = this.seq;
        this.entries.clear();
      } else {
        this.changed.set(payload, this.seq);
      }
    } else if (channel === BARRIER_CHANNEL) {
      // Every notification before this one has been handled (they are handed over in order, synchronously).
      // This instance's own barrier needs no answer through the server: hearing it is the answer.
      if (this.barriers.has(payload)) this.barriers.heard(payload);
      else
        this.listener!.query('select pg_notify($1, $2)', [BARRIER_ACK_CHANNEL, payload]).catch(
          () => undefined,
        );
    } else {
      this.barriers.heard(payload);
    }
  }

  private setLive(live: boolean): void {
    this.live = live;
    this.seq++;
    this.voidBefore = this.seq;
    this.entries.clear();
    this.changed.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || value instanceof Date)
    return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
