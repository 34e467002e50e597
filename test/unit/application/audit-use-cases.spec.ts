// Reading the audit trail (validation of the filter and the paging) and its purge after 400 days, on the
// in-memory fakes.
import { randomUUID } from 'node:crypto';
import { encodeCursor } from '@application/shared/page.js';
import { ListAuditEvents } from '@application/audit/list-audit-events.use-case.js';
import { PurgeExpiredRecords } from '@application/maintenance/purge-expired-records.use-case.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { InMemoryIdempotencyStore } from '@adapters/in-memory/in-memory-idempotency.store.js';
import { InMemoryAuthorizationStateRepository } from '@adapters/in-memory/in-memory-authorization-state.repository.js';
import { InMemoryRateLimitCounters } from '@adapters/in-memory/in-memory-rate-limit-counters.js';
import { InMemoryHoldRepository } from '@adapters/in-memory/in-memory-hold.repository.js';
import { InMemoryBookingRepository } from '@adapters/in-memory/in-memory-booking.repository.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { anAuditEntry } from '../../builders/audit.builder.js';

const DAY = 24 * 3600_000;

describe('ListAuditEvents', () => {
  const ws = randomUUID();
  async function setup() {
    const trail = new InMemoryAuditTrail();
    for (let i = 0; i < 3; i++) {
      const occurredAt = new Date(Date.UTC(2026, 11, 1, 8, 0, i));
      await trail.record(
        ws,
        i === 1
          ? anAuditEntry({ type: 'member.added', details: { role: 'member' }, occurredAt })
          : anAuditEntry({ occurredAt }),
      );
    }
    return new ListAuditEvents(trail);
  }

  it('lists newest first, one type or all', async () => {
    const list = await setup();
    const all = await list.execute({ workspaceId: ws, page: { limit: 50 } });
    expect(all.data.map((e) => e.type)).toEqual(['api_key.issued', 'member.added', 'api_key.issued']);
    const added = await list.execute({ workspaceId: ws, type: 'member.added', page: { limit: 50 } });
    expect(added.data.map((e) => e.type)).toEqual(['member.added']);
    const first = await list.execute({ workspaceId: ws, page: { limit: 2 } });
    const rest = await list.execute({ workspaceId: ws, page: { limit: 2, cursor: first.nextCursor! } });
    expect([...first.data, ...rest.data].map((e) => e.id)).toEqual(all.data.map((e) => e.id));
  });

  it.each<[string, { type?: string; limit?: number; cursor?: string }, string]>([
    ['an unknown type', { type: 'api_key.stolen' }, 'type'],
    ['a type of another list', { type: 'booking.created' }, 'type'],
    ['a limit of 0', { limit: 0 }, 'limit'],
    ['a limit over 200', { limit: 201 }, 'limit'],
    ['a limit that is not an integer', { limit: 1.5 }, 'limit'],
    ['a cursor that is not one', { cursor: 'not-a-cursor' }, 'cursor'],
    [
      'a cursor naming no event id',
      { cursor: encodeCursor({ createdAt: new Date(), id: "x' or 1=1" }) },
      'cursor',
    ],
  ])('refuses %s with VALIDATION_FAILED on that field', async (_, query, field) => {
    const list = await setup();
    await expect(
      list.execute({
        workspaceId: ws,
        type: query.type,
        page: { limit: query.limit ?? 50, cursor: query.cursor },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field })] });
  });
});

describe('PurgeExpiredRecords and the audit trail', () => {
  it('forgets events older than 400 days, in every workspace, and keeps the rest', async () => {
    const clock = new FixedClock('2027-06-01T00:00:00Z');
    const trail = new InMemoryAuditTrail();
    const bookings = new InMemoryBookingRepository();
    const purge = new PurgeExpiredRecords(
      new InMemoryIdempotencyStore(),
      bookings,
      new InMemoryAuthorizationStateRepository(),
      clock,
      new InMemoryRateLimitCounters(clock),
      trail,
      new InMemoryHoldRepository(bookings),
    );
    const [a, b] = [randomUUID(), randomUUID()];
    const ago = (ms: number) => new Date(clock.now().getTime() - ms);
    await trail.record(a, anAuditEntry({ occurredAt: ago(400 * DAY + 1) }));
    await trail.record(b, anAuditEntry({ occurredAt: ago(500 * DAY) }));
    await trail.record(a, anAuditEntry({ occurredAt: ago(400 * DAY) }));
    await trail.record(b, anAuditEntry({ occurredAt: ago(DAY) }));
    expect((await purge.execute()).auditEvents).toBe(2);
    expect((await purge.execute()).auditEvents).toBe(0);
    const left = async (ws: string) =>
      (await trail.list(ws, { limit: 10 })).data.map((e) => e.occurredAt.getTime());
    expect(await left(a)).toEqual([ago(400 * DAY).getTime()]);
    expect(await left(b)).toEqual([ago(DAY).getTime()]);
  });
});
