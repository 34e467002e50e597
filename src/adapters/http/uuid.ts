// Path ids are UUIDs; anything else names nothing, so it is a 404 rather than a validation error.
import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@domain/shared/domain-error.js';
import { isUuid } from '@domain/shared/validation.js';
import { rejectedBeforeHandler } from './validation.js';

@Injectable()
class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw rejectedBeforeHandler(DomainError.notFound(this.what));
    return value.toLowerCase();
  }
}

export function uuidPipe(what: string): PipeTransform<string, string> {
  return new UuidPipe(what);
}
