// The validation pipe's messages: what a product team reads in `errors` when a request is refused.
import { DomainError } from '@domain/shared/domain-error.js';
import { createValidationPipe } from '@adapters/http/validation.js';
import { CreateBookingDto } from '@adapters/http/dto/booking.dto.js';
import { SlotsQueryDto, quickSlotsQuery } from '@adapters/http/dto/slots.dto.js';
import { ValidationPipe } from '@nestjs/common';

async function refusal(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: CreateBookingDto });
  } catch (error) {
    return (error as DomainError).errors;
  }
  throw new Error('accepted');
}

describe('validation messages', () => {
  it('names a missing field as required, not by the first check that happens to fail', async () => {
    const errors = await refusal({
      eventTypeId: '8d5c4f3e-7b6a-4c1d-9e8f-0a1b2c3d4e5f',
      start: '2026-12-01T09:00:00Z',
      guest: {},
    });
    expect(errors).toEqual([
      { field: 'guest.name', message: 'name is required' },
      { field: 'guest.email', message: 'email is required' },
    ]);
  });

  it('keeps the check’s own message for a present but wrong value, and refuses unknown fields', async () => {
    const errors = await refusal({
      eventTypeId: 'nope',
      start: '2026-12-01T09:00:00Z',
      guest: { name: 'x'.repeat(201), email: 'jordan@example.com' },
      extra: 1,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'property extra should not exist' },
        { field: 'eventTypeId', message: 'eventTypeId must be a UUID' },
        { field: 'guest.name', message: 'name must be shorter than or equal to 200 characters' },
      ]),
    );
  });
});

describe('the time rules on DTOs', () => {
  const body = (overrides: Record<string, unknown>) => ({
    eventTypeId: '8d5c4f3e-7b6a-4c1d-9e8f-0a1b2c3d4e5f',
    start: '2026-12-01T09:00:00Z',
    guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' },
    ...overrides,
  });

  it('hands a zone on in its canonical spelling', async () => {
    const dto = (await createValidationPipe().transform(
      body({ guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'europe/paris' } }),
      { type: 'body', metatype: CreateBookingDto },
    )) as CreateBookingDto;
    expect(dto.guest.timeZone).toBe('Europe/Paris');
  });

  it('refuses an instant without an offset and a zone that is an offset, saying the rule', async () => {
    expect(
      await refusal(
        body({
          start: '2026-12-10T17:00:00',
          guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: '+02:00' },
        }),
      ),
    ).toEqual([
      {
        field: 'start',
        message:
          'start must be an ISO 8601 date-time with an offset or Z, e.g. 2026-12-01T09:00:00Z, in the years 2000 to 2199',
      },
      {
        field: 'guest.timeZone',
        message:
          'timeZone must be an IANA time zone name, e.g. Europe/Paris (an offset such as +02:00 is not one)',
      },
    ]);
  });
});

describe('the quick check of the slots query', () => {
  const metadata = { type: 'query' as const, metatype: SlotsQueryDto };
  const full = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    transform: true,
  });
  const samples: unknown[] = [
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z' },
    { start: '2026-12-01T00:00:00+01:00', end: '2026-12-08T00:00:00.500-05:30', timeZone: 'europe/PARIS' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', timeZone: 'UTC' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', timeZone: '' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', timeZone: '+01:00' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', timeZone: ['UTC', 'UTC'] },
    { start: '2026-12-01T00:00:00 01:00', end: '2026-12-08T00:00:00Z' },
    { start: '2026-02-30T00:00:00Z', end: '2026-12-08T00:00:00Z' },
    { start: '1999-12-31T23:59:59Z', end: '2026-12-08T00:00:00Z' },
    { start: '2026-12-01', end: '2026-12-08T00:00:00Z' },
    { start: ['2026-12-01T00:00:00Z'], end: '2026-12-08T00:00:00Z' },
    { start: '2026-12-01T00:00:00Z' },
    { end: '2026-12-08T00:00:00Z' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', extra: '1' },
    { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', __proto__: { a: 1 } },
    {},
    'start=2026',
    null,
  ];

  it.each(samples.map((s) => [JSON.stringify(s), s]))(
    'accepts only what the full pipe accepts, as the full pipe makes it: %s',
    async (_, sample) => {
      const quick = quickSlotsQuery(sample);
      const expected = await full.transform(sample, metadata).then(
        (dto: unknown) => ({ accepted: true, dto }),
        () => ({ accepted: false, dto: null }),
      );
      if (quick === null) return;
      expect(expected.accepted).toBe(true);
      expect(quick).toBeInstanceOf(SlotsQueryDto);
      expect(quick).toStrictEqual(expected.dto);
    },
  );

  it('takes the valid queries the bench and the API documentation send (the fast path is used)', () => {
    expect(quickSlotsQuery({ start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z' })).not.toBeNull();
    expect(
      quickSlotsQuery({
        start: '2026-12-01T00:00:00Z',
        end: '2026-12-08T00:00:00Z',
        timeZone: 'Europe/Paris',
      }),
    ).toEqual({ start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', timeZone: 'Europe/Paris' });
  });

  it('leaves every refusal to the full pipe: the same VALIDATION_FAILED errors as before', async () => {
    const pipe = createValidationPipe();
    const refused = await pipe
      .transform({ start: '2026-12-01', end: '2026-12-08T00:00:00Z', extra: '1' }, metadata)
      .catch((error: DomainError) => error);
    expect((refused as DomainError).code).toBe('VALIDATION_FAILED');
    expect((refused as DomainError).errors).toEqual(
      expect.arrayContaining([
        { field: 'extra', message: 'property extra should not exist' },
        {
          field: 'start',
          message: expect.stringMatching(/^start .*\(in a query, encode "\+" as %2B\)$/) as string,
        },
      ]),
    );
  });
});
