// The host's write lock, shared by every table that takes a host's time (bookings, holds): a
// transaction-level advisory lock on the host, so that writes of one host's time take turns whichever
// table they go to, and each sees the other's committed rows before it checks for an overlap.
import type { EntityManager } from '@mikro-orm/core';
import { executeWithNext } from './sql.js';

/** Per open transaction (its driver-level context), the host locks it took. */
const hostLocks = new WeakMap<object, Set<string>>();

/**
 * The host locks this transaction already holds (an advisory xact lock lasts until it ends, so taking one
 * again would only cost a round trip); undefined outside a transaction.
 */
export function hostLocksHeld(em: EntityManager): Set<string> | undefined {
  const tx = em.getContext().getTransactionContext() as object | undefined;
  if (!tx) return undefined;
  let held = hostLocks.get(tx);
  if (!held) hostLocks.set(tx, (held = new Set()));
  return held;
}

/** Takes the host's write lock until the surrounding transaction ends (once per transaction). */
export async function lockHost(em: EntityManager, hostId: string): Promise<void> {
  const held = hostLocksHeld(em);
  if (held?.has(hostId)) return;
  // Nobody reads its answer: it goes with the statement that follows, which runs once the lock is granted.
  await executeWithNext(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [
    `booking-host:${hostId}`,
  ]);
  held?.add(hostId);
}

/**
 * Takes a room's write lock until the surrounding transaction ends: bookings and holds that claim the room
 * take turns, and each sees the other's committed claim before it checks for an overlap. Always after the
 * hosts' locks (a writer never takes a host's lock while it holds a room's), so the two kinds never deadlock.
 */
export async function lockRoom(em: EntityManager, workspaceId: string, email: string): Promise<void> {
  const key = `booking-room:${workspaceId}:${email.toLowerCase()}`;
  const held = hostLocksHeld(em);
  if (held?.has(key)) return;
  await executeWithNext(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  held?.add(key);
}
