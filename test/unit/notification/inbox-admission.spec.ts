// The inbox's acceptance rule, as both inbox adapters apply it.
import type { ReceivedNotification } from '@domain/notification/calendar-subscription.js';
import { admittedToInbox, type InboxKnowledge } from '@domain/notification/inbox-admission.js';

const change = (subscriptionId: string, dedupeKey: string, clientState: string | null = 'state') =>
  ({
    kind: 'change',
    subscriptionId,
    clientState,
    changeType: 'updated',
    eventId: 'AAMk-1',
    changeKey: null,
    dedupeKey,
  }) satisfies ReceivedNotification;

const knowing = (k: { stored?: string[]; subscribed?: string[]; awaiting?: string[] }): InboxKnowledge => ({
  stored: (key) => (k.stored ?? []).includes(key),
  subscribed: (id) => (k.subscribed ?? []).includes(id),
  awaitingId: (state) => state !== null && (k.awaiting ?? []).includes(state),
});

describe('admittedToInbox', () => {
  it('keeps the items of a known subscription, in order, and nothing of an unknown one', () => {
    const items = [change('sub-1', 'a'), change('other', 'b'), change('sub-1', 'c')];
    expect(admittedToInbox(items, knowing({ subscribed: ['sub-1'] }))).toEqual([items[0], items[2]]);
  });

  it('keeps an item Graph retried once: not when stored, and only the first of a key repeated in a body', () => {
    const known = knowing({ subscribed: ['sub-1'], stored: ['a'] });
    expect(admittedToInbox([change('sub-1', 'a')], known)).toEqual([]);
    const twice = [change('sub-1', 'b'), change('sub-1', 'b')];
    expect(admittedToInbox(twice, known)).toEqual([twice[0]]);
  });

  it('takes the client state of a subscription whose id is not stored yet as its voucher, never a forged or missing one', () => {
    const known = knowing({ awaiting: ['state-of-new'] });
    const vouched = change('new-sub', 'a', 'state-of-new');
    expect(admittedToInbox([vouched], known)).toEqual([vouched]);
    expect(admittedToInbox([change('new-sub', 'b', 'forged')], known)).toEqual([]);
    expect(admittedToInbox([change('new-sub', 'c', null)], known)).toEqual([]);
  });

  it('lets a known item in after a refused one with the same key (the refused one was never stored)', () => {
    const items = [change('unknown', 'k'), change('sub-1', 'k')];
    expect(admittedToInbox(items, knowing({ subscribed: ['sub-1'] }))).toEqual([items[1]]);
  });
});
