// One contract for the outbound-webhook ports (endpoints, the delivery queue and log, the domain-event feed),
// run against the in-memory fakes and the MikroORM adapters alike, so a fake can never drift from the real thing.
import { randomUUID } from 'node:crypto';
import { DomainError } from '@domain/shared/domain-error.js';
import { ATTEMPT_LEASE_MS } from '@domain/webhook/webhook-delivery.js';
import type { DomainEvent } from '@application/ports/domain-event.outbox.js';
import type { DomainEventFeed } from '@application/ports/domain-event.feed.js';
import type { UnitOfWork } from '@application/ports/unit-of-work.js';
import type { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import type { WebhookEndpointRepository } from '@application/ports/webhook-endpoint.repository.js';
import type { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { aWorkspace } from '../builders/member.builder.js';
import { aDelivery, anEndpoint, anEvent } from '../builders/webhook.builder.js';

export interface WebhookPorts {
  workspaces: WorkspaceRepository;
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  feed: DomainEventFeed;
  /** Records a domain event as the outbox does. */
  record(event: DomainEvent): Promise<void>;
  uow: UnitOfWork;
}

const at = (iso: string) => new Date(iso);

export function webhookRepositoryContract(name: string, make: () => Promise<WebhookPorts>): void {
  describe(`${name}: webhook repository contract`, () => {
    let ports: WebhookPorts;
    beforeEach(async () => {
      ports = await make();
    });

    async function workspace() {
      const ws = aWorkspace();
      await ports.workspaces.add(ws);
      return ws.id;
    }

    it('stores an endpoint with its secret, and keeps it to its workspace', async () => {
      const ws = await workspace();
      const other = await workspace();
      const endpoint = anEndpoint({ workspaceId: ws });
      await ports.endpoints.add(endpoint, 20);
      expect((await ports.endpoints.findById(ws, endpoint.id))?.toSnapshot()).toEqual(endpoint.toSnapshot());
      expect(await ports.endpoints.findById(other, endpoint.id)).toBeNull();
      expect(await ports.endpoints.findById(ws, randomUUID())).toBeNull();
      expect(await ports.endpoints.findById(ws, 'not-a-uuid')).toBeNull();
      expect((await ports.endpoints.list(other, { limit: 10 })).data).toEqual([]);
      expect(await ports.endpoints.delete(other, endpoint.id)).toBe(false);
      expect(await ports.endpoints.findById(ws, endpoint.id)).not.toBeNull();
    });

    it('refuses an endpoint beyond the limit of its workspace, and counts per workspace', async () => {
      const ws = await workspace();
      const other = await workspace();
      await ports.endpoints.add(anEndpoint({ workspaceId: ws }), 2);
      await ports.endpoints.add(anEndpoint({ workspaceId: ws }), 2);
      const error = await ports.endpoints.add(anEndpoint({ workspaceId: ws }), 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      expect((await ports.endpoints.list(ws, { limit: 10 })).data).toHaveLength(2);
      await expect(ports.endpoints.add(anEndpoint({ workspaceId: other }), 2)).resolves.toBeUndefined();
    });

    it('pages endpoints oldest first without skipping or repeating, and finds the subscribers of a type', async () => {
      const ws = await workspace();
      const made = [];
      for (let i = 0; i < 5; i++) {
        const events = i === 0 ? ['*'] : i % 2 ? ['booking.created'] : ['connection.revoked'];
        const e = anEndpoint({ workspaceId: ws, events, now: new Date(Date.UTC(2026, 11, 1, 8, 0, i % 3)) });
        await ports.endpoints.add(e, 20);
        made.push(e);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ports.endpoints.list(ws, { limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen)).toEqual(new Set(made.map((e) => e.id)));
      expect(seen).toHaveLength(5);
      const created = await ports.endpoints.subscribedTo(ws, 'booking.created');
      expect(new Set(created.map((e) => e.id))).toEqual(new Set([made[0]!.id, made[1]!.id, made[3]!.id]));
      const revoked = await ports.endpoints.subscribedTo(ws, 'connection.revoked');
      expect(new Set(revoked.map((e) => e.id))).toEqual(new Set([made[0]!.id, made[2]!.id, made[4]!.id]));
      expect(await ports.endpoints.subscribedTo(await workspace(), 'booking.created')).toEqual([]);
    });

    it('adds a delivery once per endpoint and event, claims it once, and leases the attempt', async () => {
      const ws = await workspace();
      const endpoint = anEndpoint({ workspaceId: ws });
      await ports.endpoints.add(endpoint, 20);
      const now = at('2026-12-01T08:00:00Z');
      const event = anEvent({ workspaceId: ws, occurredAt: now });
      const first = aDelivery(endpoint, { event, now });
      await ports.deliveries.addMany([first]);
      await ports.deliveries.addMany([aDelivery(endpoint, { event, now })]);
      expect((await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 10 })).data).toHaveLength(1);

      expect(await ports.deliveries.claimDue(new Date(now.getTime() - 1), 10)).toEqual([]);
      const [claimed, ...rest] = await ports.deliveries.claimDue(now, 10);
      expect(rest).toEqual([]);
      expect(claimed?.toSnapshot()).toEqual({
        ...first.toSnapshot(),
        attempts: 1,
        lastAttemptAt: now,
        nextAttemptAt: new Date(now.getTime() + ATTEMPT_LEASE_MS),
      });
      // Leased: nobody else gets it until the lease runs out.
      expect(await ports.deliveries.claimDue(new Date(now.getTime() + ATTEMPT_LEASE_MS - 1), 10)).toEqual([]);
      const [again] = await ports.deliveries.claimDue(new Date(now.getTime() + ATTEMPT_LEASE_MS), 10);
      expect(again?.attempts).toBe(2);
      // The first attempt's outcome comes too late: the second attempt is the current one.
      claimed!.finishAttempt({ ok: true, status: 200 }, new Date(now.getTime() + ATTEMPT_LEASE_MS + 5));
      expect(await ports.deliveries.saveOutcome(claimed!)).toBe(false);
      again!.finishAttempt({ ok: true, status: 204 }, new Date(now.getTime() + ATTEMPT_LEASE_MS + 5));
      expect(await ports.deliveries.saveOutcome(again!)).toBe(true);
      const [logged] = (await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 10 })).data;
      expect(logged?.toSnapshot()).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        lastResponseStatus: 204,
        nextAttemptAt: null,
        body: first.body,
      });
      expect(await ports.deliveries.claimDue(at('2026-12-03T00:00:00Z'), 10)).toEqual([]);
      // A finished delivery takes no further outcome.
      expect(await ports.deliveries.saveOutcome(again!)).toBe(false);
    });

    it('sends a booking’s deliveries to an endpoint in its order: N+1 waits while N is pending, goes once N is done or given up', async () => {
      const ws = await workspace();
      const endpoint = anEndpoint({ workspaceId: ws });
      const other = anEndpoint({ workspaceId: ws });
      await ports.endpoints.add(endpoint, 20);
      await ports.endpoints.add(other, 20);
      const now = at('2026-12-01T08:00:00Z');
      const bookingId = randomUUID();
      const fact = (sequence: number) =>
        anEvent({ workspaceId: ws, occurredAt: now, booking: { id: bookingId, sequence } });
      const [one, two, three] = [fact(1), fact(2), fact(3)];
      // Added newest first, and a delivery of the same booking to another endpoint, which has its own order.
      await ports.deliveries.addMany([
        aDelivery(endpoint, { event: three!, now }),
        aDelivery(endpoint, { event: two!, now }),
        aDelivery(endpoint, { event: one!, now }),
        aDelivery(other, { event: two!, now }),
      ]);
      const claimed = await ports.deliveries.claimDue(now, 10);
      expect(claimed.map((d) => [d.endpointId, d.toSnapshot().booking?.sequence]).sort()).toEqual(
        [
          [endpoint.id, 1],
          [other.id, 2],
        ].sort(),
      );
      // While 1 is being sent (and after its lease, still pending), 2 waits.
      expect(await ports.deliveries.claimDue(now, 10)).toEqual([]);
      const first = claimed.find((d) => d.endpointId === endpoint.id)!;
      first.finishAttempt({ ok: false, status: 503, error: 'HTTP 503' }, now);
      await ports.deliveries.saveOutcome(first);
      const retryAt = first.toSnapshot().nextAttemptAt!;
      expect(await ports.deliveries.claimDue(new Date(retryAt.getTime() - 1), 10)).toEqual([]);
      const [retried, ...none] = await ports.deliveries.claimDue(retryAt, 10);
      expect(none).toEqual([]);
      expect(retried?.toSnapshot().booking?.sequence).toBe(1);
      retried!.finishAttempt({ ok: true, status: 200 }, retryAt);
      await ports.deliveries.saveOutcome(retried!);
      const [second, ...alone] = await ports.deliveries.claimDue(retryAt, 10);
      expect(alone).toEqual([]);
      expect(JSON.parse(second!.body)).toMatchObject({ id: two!.id, sequence: 2 });
      // Given up for good counts as done: 3 goes.
      const late = new Date(now.getTime() + 25 * 3600_000);
      second!.finishAttempt({ ok: false, status: 500, error: 'HTTP 500' }, late);
      expect(second!.status).toBe('failed');
      await ports.deliveries.saveOutcome(second!);
      expect(
        (await ports.deliveries.claimDue(late, 10))
          .filter((d) => d.endpointId === endpoint.id)
          .map((d) => d.toSnapshot().booking?.sequence),
      ).toEqual([3]);
    });

    it('feeds a booking’s events in its order: an event waits while an earlier one of the booking is undispatched', async () => {
      const ws = await workspace();
      const bookingId = randomUUID();
      const event = (type: string, sequence: number, iso: string) => ({
        workspaceId: ws,
        type,
        data: { id: bookingId },
        occurredAt: at(iso),
        booking: { id: bookingId, sequence },
      });
      // Another instance's clock ran ahead: the second fact has the earlier time.
      await ports.record(event('booking.created', 1, '2026-12-01T08:00:05Z'));
      await ports.record(event('booking.rescheduled', 2, '2026-12-01T08:00:00Z'));
      const first = await ports.uow.transactional(() => ports.feed.claimUndispatched(10));
      expect(first.map((e) => [e.type, e.booking?.sequence])).toEqual([['booking.created', 1]]);
      await ports.uow.transactional(() =>
        ports.feed.markDispatched([first[0]!.id], at('2026-12-01T08:00:06Z')),
      );
      const next = await ports.uow.transactional(() => ports.feed.claimUndispatched(10));
      expect(next.map((e) => [e.type, e.booking?.sequence])).toEqual([['booking.rescheduled', 2]]);
      await ports.uow.transactional(() =>
        ports.feed.markDispatched([next[0]!.id], at('2026-12-01T08:00:07Z')),
      );
    });

    it('records a failed attempt with its retry time, and claims due deliveries oldest first up to the limit', async () => {
      const ws = await workspace();
      const endpoint = anEndpoint({ workspaceId: ws });
      await ports.endpoints.add(endpoint, 20);
      const t0 = at('2026-12-01T08:00:00Z');
      const deliveries = [0, 1, 2].map((i) =>
        aDelivery(endpoint, { now: new Date(t0.getTime() + i * 1000) }),
      );
      await ports.deliveries.addMany(deliveries);
      const claimed = await ports.deliveries.claimDue(new Date(t0.getTime() + 5000), 2);
      // The two due the longest; the claim's own order is not part of the contract.
      claimed.sort((a, b) => (a.id === deliveries[0]!.id ? -1 : b.id === deliveries[0]!.id ? 1 : 0));
      expect(new Set(claimed.map((d) => d.id))).toEqual(new Set([deliveries[0]!.id, deliveries[1]!.id]));
      const failedAt = new Date(t0.getTime() + 6000);
      claimed[0]!.finishAttempt({ ok: false, status: 500, error: 'HTTP 500: boom' }, failedAt);
      expect(await ports.deliveries.saveOutcome(claimed[0]!)).toBe(true);
      const page = await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 10 });
      const row = page.data.find((d) => d.id === deliveries[0]!.id)!.toSnapshot();
      expect(row).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastResponseStatus: 500,
        lastError: 'HTTP 500: boom',
        nextAttemptAt: new Date(failedAt.getTime() + 10_000),
      });
      const next = await ports.deliveries.claimDue(new Date(failedAt.getTime() + 10_000), 10);
      expect(new Set(next.map((d) => d.id))).toEqual(new Set([deliveries[0]!.id, deliveries[2]!.id]));
      // The attempt history survives the claim and is appended to, attempt after attempt.
      const retried = next.find((d) => d.id === deliveries[0]!.id)!;
      const firstAttempt = {
        number: 1,
        startedAt: new Date(t0.getTime() + 5000),
        durationMs: 1000,
        responseStatus: 500,
        error: 'HTTP 500: boom',
      };
      expect(retried.toSnapshot().attemptLog).toEqual([firstAttempt]);
      const doneAt = new Date(failedAt.getTime() + 10_250);
      retried.finishAttempt({ ok: true, status: 202 }, doneAt);
      expect(await ports.deliveries.saveOutcome(retried)).toBe(true);
      const after = await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 10 });
      expect(after.data.find((d) => d.id === retried.id)!.toSnapshot().attemptLog).toEqual([
        firstAttempt,
        {
          number: 2,
          startedAt: new Date(failedAt.getTime() + 10_000),
          durationMs: 250,
          responseStatus: 202,
          error: null,
        },
      ]);
    });

    it('lists an endpoint’s deliveries newest first, page by page, only in its workspace; deleting the endpoint deletes them', async () => {
      const ws = await workspace();
      const other = await workspace();
      const endpoint = anEndpoint({ workspaceId: ws });
      const second = anEndpoint({ workspaceId: ws });
      await ports.endpoints.add(endpoint, 20);
      await ports.endpoints.add(second, 20);
      const made = [0, 1, 2, 3, 4].map((i) =>
        aDelivery(endpoint, { now: new Date(Date.UTC(2026, 11, 1, 8, 0, i)) }),
      );
      await ports.deliveries.addMany(made);
      await ports.deliveries.addMany([aDelivery(second)]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 2, cursor });
        seen.push(...page.data.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(made.map((d) => d.id).reverse());
      expect((await ports.deliveries.listByEndpoint(other, endpoint.id, { limit: 10 })).data).toEqual([]);

      expect(await ports.endpoints.delete(ws, endpoint.id)).toBe(true);
      expect(await ports.endpoints.delete(ws, endpoint.id)).toBe(false);
      expect((await ports.deliveries.listByEndpoint(ws, endpoint.id, { limit: 10 })).data).toEqual([]);
      expect((await ports.deliveries.listByEndpoint(ws, second.id, { limit: 10 })).data).toHaveLength(1);
      const claimed = await ports.deliveries.claimDue(at('2026-12-02T00:00:00Z'), 50);
      expect(claimed.filter((d) => d.workspaceId === ws).map((d) => d.endpointId)).toEqual([second.id]);
    });

    it('feeds undispatched domain events oldest first, and not once marked dispatched', async () => {
      const ws = await workspace();
      const data = { id: randomUUID(), nested: { list: [1, 'two'] } };
      await ports.record({
        workspaceId: ws,
        type: 'booking.updated',
        data,
        occurredAt: at('2026-12-01T09:00:00Z'),
      });
      await ports.record({
        workspaceId: ws,
        type: 'booking.created',
        data,
        occurredAt: at('2026-12-01T08:00:00Z'),
      });
      await ports.record({
        workspaceId: ws,
        type: 'booking.cancelled',
        data,
        occurredAt: at('2026-12-01T10:00:00Z'),
      });
      const first = await ports.uow.transactional(() => ports.feed.claimUndispatched(2));
      expect(first.map((e) => e.type)).toEqual(['booking.created', 'booking.updated']);
      expect(first[0]).toEqual({
        id: expect.any(String),
        workspaceId: ws,
        type: 'booking.created',
        data,
        occurredAt: at('2026-12-01T08:00:00Z'),
      });
      await ports.uow.transactional(() =>
        ports.feed.markDispatched(
          first.map((e) => e.id),
          at('2026-12-01T10:00:01Z'),
        ),
      );
      const rest = await ports.uow.transactional(() => ports.feed.claimUndispatched(10));
      expect(rest.map((e) => e.type)).toEqual(['booking.cancelled']);
    });
  });
}
