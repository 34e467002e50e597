// What PostgreSQL answers when two writers met and one must start again from a fresh read: the use case's
// WriteConflict (retryOnWriteConflict). Told apart where a write is sent: by the repository that sent it, and,
// for a write sent with the commit (executeWithNext), by the unit of work that commits.

interface PgError {
  code?: string;
  message?: string;
  cause?: { code?: string };
}

/**
 * 40P01 deadlock (racing inserts checked by the exclusion constraint wait on each other), 40001 serialization,
 * and a booking's fact number told first by another writer (the unique index on domain_events (booking_id,
 * sequence)): this writer worked on a stale booking.
 */
export function isWriteConflict(error: unknown): boolean {
  const e = error as PgError;
  return (
    ['40P01', '40001'].includes(e?.code ?? '') ||
    ['40P01', '40001'].includes(e?.cause?.code ?? '') ||
    /deadlock detected|could not serialize/i.test(e?.message ?? '') ||
    isFactNumberTaken(e)
  );
}

function isFactNumberTaken(e: PgError): boolean {
  return (
    (e?.code === '23505' || e?.cause?.code === '23505' || /unique/i.test(e?.message ?? '')) &&
    /domain_events_booking_sequence_uq/.test(e?.message ?? '')
  );
}
