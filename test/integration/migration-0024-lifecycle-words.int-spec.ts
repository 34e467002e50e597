// Migration 0024 on rows written before it: lifecycle items still waiting in the inbox under Graph's names are
// rewritten to the core's words (and back on down), change items and other payload fields are left alone.
import { createOrm, type Orm } from '@adapters/persistence/orm.js';
import { execute } from '@adapters/persistence/sql.js';

let orm: Orm;
beforeAll(async () => {
  orm = await createOrm({ kind: 'pglite', dataDir: 'memory://' });
  await orm.migrator.up({ to: '0023-hot-path-indexes' });
});
afterAll(async () => {
  await orm?.close();
});

const payloads = async () =>
  (
    await execute<{ dedupe_key: string; payload: Record<string, unknown> | string }>(
      orm.em.fork(),
      'select dedupe_key, payload from graph_notification_inbox order by id',
    )
  ).map((r) => [r.dedupe_key, typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload]);

it('rewrites waiting lifecycle items to the core’s words, and back on down', async () => {
  const rows: [string, string, Record<string, unknown>][] = [
    ['l:1', 'lifecycle', { clientState: 'cs', lifecycleEvent: 'reauthorizationRequired' }],
    ['l:2', 'lifecycle', { clientState: 'cs', lifecycleEvent: 'subscriptionRemoved' }],
    ['l:3', 'lifecycle', { clientState: null, lifecycleEvent: 'missed' }],
    ['n:1', 'change', { clientState: 'cs', changeType: 'updated', eventId: 'missed' }],
  ];
  for (const [key, kind, payload] of rows) {
    await execute(
      orm.em.fork(),
      `insert into graph_notification_inbox (dedupe_key, kind, subscription_id, payload, received_at, due_at)
       values (?, ?, 'sub-1', ?::jsonb, now(), now())`,
      [key, kind, JSON.stringify(payload)],
    );
  }

  expect(await orm.migrator.up()).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: '0024-lifecycle-words' })]),
  );
  expect(await payloads()).toEqual([
    ['l:1', { clientState: 'cs', lifecycleEvent: 'access_expiring' }],
    ['l:2', { clientState: 'cs', lifecycleEvent: 'subscription_removed' }],
    ['l:3', { clientState: null, lifecycleEvent: 'notifications_missed' }],
    ['n:1', { clientState: 'cs', changeType: 'updated', eventId: 'missed' }],
  ]);

  await orm.migrator.down({ to: '0023-hot-path-indexes' });
  expect(await payloads()).toEqual(rows.map(([key, , payload]) => [key, payload]));
});
