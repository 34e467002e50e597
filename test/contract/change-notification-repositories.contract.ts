// One contract for the change-notification stores, run on the in-memory fakes and on PostgreSQL/PGlite:
// subscriptions (one per member, claims of due renewals, stop, delta link, rejected count, coverage) and
// the inbox (unknown subscriptions and retries kept out, claims with a lease, completion, backoff).
import { createHash, randomUUID } from 'node:crypto';
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import type {
  CalendarSubscriptionRepository,
  StoredSubscription,
} from '@application/ports/calendar-subscription.repository.js';
import type { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import type { ChangeNotificationInbox } from '@application/ports/change-notification.inbox.js';

export interface ChangeNotificationStores {
  subscriptions: CalendarSubscriptionRepository;
  coverage: ChangeNotificationCoverage;
  inbox: ChangeNotificationInbox;
  /** A workspace with `n` members (rows the foreign keys need). */
  given(n: number): Promise<{ workspaceId: string; memberIds: string[] }>;
}

const NOW = new Date('2026-12-01T08:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

function active(
  workspaceId: string,
  memberId: string,
  over: Partial<StoredSubscription> = {},
): StoredSubscription {
  return {
    workspaceId,
    memberId,
    subscriptionId: randomUUID(),
    clientStateHash: 'a'.repeat(64),
    status: 'active',
    expiresAt: at(70 * 3600_000),
    dueAt: at(46 * 3600_000),
    deltaLink: null,
    failureReason: null,
    ...over,
  };
}

const change = (subscriptionId: string, key: string = randomUUID()): ReceivedNotification => ({
  kind: 'change',
  subscriptionId,
  clientState: 'state',
  changeType: 'updated',
  eventId: 'AAMk-1',
  changeKey: null,
  dedupeKey: key,
});

export function changeNotificationContract(
  name: string,
  make: () => Promise<ChangeNotificationStores>,
): void {
  describe(`change-notification stores: ${name}`, () => {
    let s: ChangeNotificationStores;
    beforeEach(async () => {
      s = await make();
    });

    it('keeps one subscription per member, found by member and by Graph id, and replaces it', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      const first = active(workspaceId, memberIds[0]!);
      await s.subscriptions.save(first, NOW);
      expect(await s.subscriptions.findByMember(workspaceId, memberIds[0]!)).toEqual(first);
      expect(await s.subscriptions.findBySubscriptionId(first.subscriptionId!)).toEqual(first);
      const second = active(workspaceId, memberIds[0]!, { deltaLink: 'https://graph/delta?$deltatoken=x' });
      await s.subscriptions.save(second, NOW);
      expect(await s.subscriptions.findBySubscriptionId(first.subscriptionId!)).toBeNull();
      expect(await s.subscriptions.findByMember(workspaceId, memberIds[0]!)).toEqual(second);
      expect(await s.subscriptions.findByMember(randomUUID(), memberIds[0]!)).toBeNull();
      await s.subscriptions.delete(workspaceId, memberIds[0]!);
      expect(await s.subscriptions.findByMember(workspaceId, memberIds[0]!)).toBeNull();
    });

    it('saves only over the row it expects: one of two racing claims wins', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      const m = memberIds[0]!;
      const pending = { subscriptionId: null, status: 'failed' as const, expiresAt: null };
      const first = active(workspaceId, m, { ...pending, clientStateHash: '1'.repeat(64) });
      const second = active(workspaceId, m, { ...pending, clientStateHash: '2'.repeat(64) });
      const results = await Promise.all([
        s.subscriptions.saveIf(first, null, NOW),
        s.subscriptions.saveIf(second, null, NOW),
      ]);
      expect(results.sort()).toEqual([false, true]);
      const winner = (await s.subscriptions.findByMember(workspaceId, m))!;
      const made = {
        ...winner,
        subscriptionId: randomUUID(),
        status: 'active' as const,
        expiresAt: at(3600_000),
      };
      const expected = { subscriptionId: null, clientStateHash: winner.clientStateHash };
      expect(await s.subscriptions.saveIf(made, { ...expected, clientStateHash: '3'.repeat(64) }, NOW)).toBe(
        false,
      );
      expect(await s.subscriptions.saveIf(made, expected, NOW)).toBe(true);
      expect(await s.subscriptions.saveIf(made, expected, NOW)).toBe(false);
      expect((await s.subscriptions.findByMember(workspaceId, m))!.subscriptionId).toBe(made.subscriptionId);
    });

    it('inbox: keeps items of a subscription being made when their client state matches its hash', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      // The hash NodeClientStates stores for a client state.
      const state = `being-made-${randomUUID()}`;
      const hash = createHash('sha256').update(state).digest('hex');
      await s.subscriptions.save(
        active(workspaceId, memberIds[0]!, {
          subscriptionId: null,
          status: 'failed',
          expiresAt: null,
          clientStateHash: hash,
        }),
        NOW,
      );
      const unknownId = randomUUID();
      expect(await s.inbox.accept([{ ...change(unknownId), clientState: state }], NOW)).toBe(1);
      expect(await s.inbox.accept([{ ...change(unknownId), clientState: 'forged' }], NOW)).toBe(0);
      expect(await s.inbox.accept([{ ...change(unknownId), clientState: null }], NOW)).toBe(0);
      const claimed = await s.inbox.claim(NOW, 60_000, 1000);
      expect(claimed.filter((i) => i.notification.subscriptionId === unknownId)).toHaveLength(1);
      // Stores may be shared between these tests: leave nothing to claim.
      await s.inbox.complete(
        claimed.map((i) => i.id),
        NOW,
      );
    });

    it('claims due subscriptions once for the lease, active and failed ones, never stopped ones', async () => {
      const { workspaceId, memberIds } = await s.given(4);
      const [a, b, c, d] = memberIds as [string, string, string, string];
      await s.subscriptions.save(active(workspaceId, a, { dueAt: at(-1000) }), NOW);
      await s.subscriptions.save(
        active(workspaceId, b, {
          status: 'failed',
          subscriptionId: null,
          expiresAt: null,
          dueAt: at(-500),
          failureReason: 'refused',
        }),
        NOW,
      );
      await s.subscriptions.save(active(workspaceId, c, { dueAt: at(3600_000) }), NOW);
      await s.subscriptions.save(active(workspaceId, d, { dueAt: at(-1000) }), NOW);
      await s.subscriptions.stop(workspaceId, d, 'revoked', NOW);
      const claimed = await s.subscriptions.claimDue(NOW, 60_000, 10);
      expect(claimed.map((x) => x.memberId).sort()).toEqual([a, b].sort());
      expect(await s.subscriptions.claimDue(NOW, 60_000, 10)).toEqual([]);
      expect((await s.subscriptions.claimDue(at(61_000), 60_000, 10)).length).toBe(2);
      // Saving (a renewal) releases the claim.
      await s.subscriptions.save({ ...claimed[0]!, dueAt: at(-1) }, NOW);
      expect((await s.subscriptions.claimDue(at(62_000), 60_000, 10)).map((x) => x.memberId)).toEqual([
        claimed[0]!.memberId,
      ]);
    });

    it('says which members have a live subscription', async () => {
      const { workspaceId, memberIds } = await s.given(3);
      const [a, b, c] = memberIds as [string, string, string];
      await s.subscriptions.save(active(workspaceId, a), NOW);
      await s.subscriptions.save(active(workspaceId, b, { expiresAt: at(-1) }), NOW);
      await s.subscriptions.save(
        active(workspaceId, c, { status: 'failed', subscriptionId: null, expiresAt: null }),
        NOW,
      );
      expect(await s.coverage.liveMembers(workspaceId, memberIds, NOW)).toEqual(new Set([a]));
      await s.subscriptions.stop(workspaceId, a, 'revoked', NOW);
      expect(await s.coverage.liveMembers(workspaceId, memberIds, NOW)).toEqual(new Set());
      expect(await s.coverage.liveMembers(randomUUID(), memberIds, NOW)).toEqual(new Set());
    });

    it('keeps the delta link', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      await s.subscriptions.save(active(workspaceId, memberIds[0]!), NOW);
      await s.subscriptions.saveDeltaLink(workspaceId, memberIds[0]!, 'link-1');
      expect((await s.subscriptions.findByMember(workspaceId, memberIds[0]!))!.deltaLink).toBe('link-1');
    });

    it('inbox: keeps nothing of unknown subscriptions, each retried item once, and claims each item once', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      const sub = active(workspaceId, memberIds[0]!);
      await s.subscriptions.save(sub, NOW);
      const item = change(sub.subscriptionId!, 'k1');
      expect(await s.inbox.accept([item, change('unknown')], NOW)).toBe(1);
      expect(await s.inbox.accept([item], NOW)).toBe(0);
      const [claimed, ...rest] = await s.inbox.claim(NOW, 60_000, 10);
      expect(rest).toEqual([]);
      expect(claimed!.attempts).toBe(1);
      expect(claimed!.notification).toMatchObject({
        kind: 'change',
        subscriptionId: sub.subscriptionId,
        clientState: 'state',
        eventId: 'AAMk-1',
        changeKey: null,
      });
      expect(await s.inbox.claim(NOW, 60_000, 10)).toEqual([]);
      // Backoff, then a second attempt; completion for good.
      await s.inbox.retryAt([claimed!.id], at(5_000), 'unavailable');
      expect(await s.inbox.claim(at(4_000), 60_000, 10)).toEqual([]);
      const again = await s.inbox.claim(at(5_000), 60_000, 10);
      expect(again.map((x) => x.attempts)).toEqual([2]);
      await s.inbox.complete([again[0]!.id], at(5_000));
      expect(await s.inbox.claim(at(999_999), 60_000, 10)).toEqual([]);
      expect(await s.inbox.accept([item], at(6_000))).toBe(0); // still remembered
    });

    it('inbox: of a key repeated in a body the first item admitted is kept; a body with stored and new items keeps the new', async () => {
      const { workspaceId, memberIds } = await s.given(2);
      const sub = active(workspaceId, memberIds[0]!);
      await s.subscriptions.save(sub, NOW);
      const state = `being-made-${randomUUID()}`;
      await s.subscriptions.save(
        active(workspaceId, memberIds[1]!, {
          subscriptionId: null,
          status: 'failed',
          expiresAt: null,
          clientStateHash: createHash('sha256').update(state).digest('hex'),
        }),
        NOW,
      );
      const awaited = randomUUID();
      const first = { ...change(sub.subscriptionId!, 'r1'), changeType: 'created' };
      const forged = { ...change(awaited, 'r2'), clientState: 'forged', changeType: 'created' };
      // (How many a repeated key counts for differs between the stores: not part of the contract.)
      await s.inbox.accept(
        [
          first,
          { ...first, changeType: 'updated' },
          forged,
          { ...forged, clientState: state, changeType: 'updated' },
        ],
        NOW,
      );
      expect(
        await s.inbox.accept([change(sub.subscriptionId!, 'r1'), change(sub.subscriptionId!, 'r3')], NOW),
      ).toBe(1);
      const claimed = await s.inbox.claim(NOW, 60_000, 1000);
      const mine = claimed
        .map((i) => i.notification)
        .filter((n) => n.subscriptionId === sub.subscriptionId || n.subscriptionId === awaited);
      expect(mine).toEqual([
        expect.objectContaining({ subscriptionId: sub.subscriptionId, changeType: 'created' }),
        expect.objectContaining({ subscriptionId: awaited, clientState: state, changeType: 'updated' }),
        expect.objectContaining({ subscriptionId: sub.subscriptionId, changeType: 'updated' }),
      ]);
      // Stores may be shared between these tests: leave nothing to claim.
      await s.inbox.complete(
        claimed.map((i) => i.id),
        NOW,
      );
    });

    it('inbox: lifecycle items, and concurrent bodies all stored', async () => {
      const { workspaceId, memberIds } = await s.given(1);
      const sub = active(workspaceId, memberIds[0]!);
      await s.subscriptions.save(sub, NOW);
      const counts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.inbox.accept([change(sub.subscriptionId!, `c${i}`)], NOW)),
      );
      expect(counts).toEqual(Array(20).fill(1));
      await s.inbox.accept(
        [
          {
            kind: 'lifecycle',
            subscriptionId: sub.subscriptionId!,
            clientState: 'state',
            lifecycleEvent: 'notifications_missed',
            dedupeKey: 'l1',
          },
        ],
        NOW,
      );
      const claimed = await s.inbox.claim(NOW, 60_000, 100);
      expect(claimed).toHaveLength(21);
      expect(claimed.filter((c) => c.notification.kind === 'lifecycle')[0]!.notification).toMatchObject({
        lifecycleEvent: 'notifications_missed',
      });
    });
  });
}
