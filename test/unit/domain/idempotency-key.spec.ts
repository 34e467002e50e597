// What an Idempotency-Key's record means for a request presenting it: the rule every store applies.
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  decide,
  type IdempotencyRecord,
} from '@domain/idempotency/idempotency-key.js';

const t0 = new Date('2026-12-01T08:00:00Z').getTime();
const at = (ms: number) => new Date(t0 + ms);

function record(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    fingerprint: 'f',
    createdAt: at(0),
    response: null,
    leasedUntil: at(IDEMPOTENCY_LEASE_MS),
    ...overrides,
  };
}

describe('decide (Idempotency-Key)', () => {
  it('claims a key nothing is recorded for, or whose record is past its 24 hours', () => {
    expect(decide(null, 'f', at(0))).toEqual({ kind: 'claim' });
    const done = record({ response: { status: 201, body: { id: 'b' } }, leasedUntil: null });
    expect(decide(done, 'g', at(IDEMPOTENCY_TTL_MS))).toEqual({ kind: 'claim' });
    expect(decide(record(), 'f', at(IDEMPOTENCY_TTL_MS))).toEqual({ kind: 'claim' });
  });

  it('replays the first outcome, refusals included, for the same body', () => {
    const refused = { status: 409, body: { code: 'SLOT_UNAVAILABLE' } };
    expect(decide(record({ response: refused, leasedUntil: null }), 'f', at(IDEMPOTENCY_TTL_MS - 1))).toEqual(
      {
        kind: 'replay',
        ...refused,
      },
    );
  });

  it('refuses another body, whatever the state of the first request', () => {
    expect(decide(record(), 'g', at(1))).toEqual({ kind: 'reused' });
    expect(decide(record({ leasedUntil: null }), 'g', at(1))).toEqual({ kind: 'reused' });
    expect(decide(record({ response: { status: 201, body: {} } }), 'g', at(1))).toEqual({ kind: 'reused' });
  });

  it('tells a retry to wait while the first request holds its lease, and for how long', () => {
    expect(decide(record(), 'f', at(0))).toEqual({ kind: 'in_use', retryAfterMs: IDEMPOTENCY_LEASE_MS });
    expect(decide(record(), 'f', at(IDEMPOTENCY_LEASE_MS - 250))).toEqual({
      kind: 'in_use',
      retryAfterMs: 250,
    });
    // A heartbeat moved the lease on: still in use, long after it was first taken.
    const renewed = record({ leasedUntil: at(3_600_000 + IDEMPOTENCY_LEASE_MS) });
    expect(decide(renewed, 'f', at(3_600_000))).toMatchObject({ kind: 'in_use' });
  });

  it('takes over from a first request whose lease ran out: its process died', () => {
    expect(decide(record(), 'f', at(IDEMPOTENCY_LEASE_MS))).toEqual({ kind: 'take_over' });
    expect(decide(record({ leasedUntil: null }), 'f', at(1))).toEqual({ kind: 'take_over' });
  });
});
