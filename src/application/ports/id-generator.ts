// Identifiers for new aggregates (UUIDs in production, predictable ones in tests if wanted).
export abstract class IdGenerator {
  abstract next(): string;
}
