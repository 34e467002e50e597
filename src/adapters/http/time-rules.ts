// The API's one rule for instants and one for time zones, as class-validator decorators: every DTO field
// that is an instant or a zone says so with these, and the rules themselves are the domain's.
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { INSTANT_RULE, parseInstant } from '@domain/shared/instant.js';
import { TIME_ZONE_RULE, canonicalTimeZone } from '@domain/shared/time-zone.js';

/** ISO 8601 with an offset or Z, a real calendar time, in the years 2000 to 2199. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => parseInstant(value) !== null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} ${INSTANT_RULE}`,
      },
    },
    options,
  );
}

/** An IANA zone, matched case-insensitively and handed on in its canonical spelling; offsets are refused. */
export function IsIanaZone(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value),
    ValidateBy(
      {
        name: 'isIanaZone',
        validator: {
          validate: (value: unknown) => canonicalTimeZone(value) !== null,
          defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} ${TIME_ZONE_RULE}`,
        },
      },
      options,
    ),
  );
}
