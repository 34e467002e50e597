// Small checks shared by the domain's factories; each collects field errors instead of failing at the first.
import { DomainError, type FieldError } from './domain-error.js';

export class Checks {
  private readonly errors: FieldError[] = [];

  require(ok: boolean, field: string, message: string): this {
    if (!ok) this.errors.push({ field, message });
    return this;
  }

  text(value: string, field: string, max: number): this {
    return this.require(
      typeof value === 'string' && value.trim().length > 0,
      field,
      'must not be empty',
    ).require(typeof value !== 'string' || value.length <= max, field, `must be at most ${max} characters`);
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw DomainError.validation(this.errors);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return typeof value === 'string' && value.length <= 320 && EMAIL.test(value);
}

export function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID: ids from outside that are not cannot name anything, and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return typeof value === 'string' && UUID.test(value);
}
