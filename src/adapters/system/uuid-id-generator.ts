// Random (v4) UUIDs for new aggregates.
import { randomUUID } from 'node:crypto';
import { IdGenerator } from '@application/ports/id-generator.js';

export class UuidIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}
