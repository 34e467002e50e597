// A deep copy of plain data (the domain's snapshots: objects, arrays, Dates, primitives), field by field.
// structuredClone serializes and deserializes instead, which costs more than the copy itself (1.5 % of the
// app's thread in a profile of bench:bookings, where a booking is copied five times), and its Dates may come
// from another realm under test sandboxes; here every Date comes out a Date of this realm. Class instances, Maps and Sets are not plain data: no snapshot
// holds one, and they would come out as plain objects.

/** A deep copy of `value`: new objects, arrays and Dates all the way down; primitives as they are. */
export function plainCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  // A Date of another realm (a structured clone under a test sandbox) is no `instanceof Date` here.
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]')
    return new Date((value as unknown as Date).getTime()) as T;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = plainCopy((value as Record<string, unknown>)[key]);
  return copy as T;
}
