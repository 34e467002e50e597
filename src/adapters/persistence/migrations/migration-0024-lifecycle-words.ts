// Graph's lifecycle event names are translated at the edge since this migration (issue 14): the inbox
// keeps the core's words. Items received before it and not yet processed are rewritten to match.
import { Migration } from '@mikro-orm/migrations';

const WORDS: [graph: string, ours: string][] = [
  ['reauthorizationRequired', 'access_expiring'],
  ['subscriptionRemoved', 'subscription_removed'],
  ['missed', 'notifications_missed'],
];

export class Migration0024LifecycleWords extends Migration {
  override name = '0024-lifecycle-words';

  override up(): void {
    for (const [graph, ours] of WORDS) this.rename(graph, ours);
  }

  override down(): void {
    for (const [graph, ours] of WORDS) this.rename(ours, graph);
  }

  private rename(from: string, to: string): void {
    // Both words are constants of this file, never input.
    this.addSql(
      `update graph_notification_inbox set payload = jsonb_set(payload, '{lifecycleEvent}', '"${to}"') where kind = 'lifecycle' and payload->>'lifecycleEvent' = '${from}'`,
    );
  }
}
