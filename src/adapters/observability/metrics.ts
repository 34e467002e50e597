// The service's Prometheus metrics: one prom-client registry per application instance (tests start several
// in one process, so never the global default registry). HTTP requests by route pattern and status, Graph
// calls by operation and status, token refresh outcomes, webhook deliveries by outcome, and the depth and
// oldest age of the database queues, read when /metrics is scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../persistence/queue-stats.js';

/** Seconds: from a cached slots answer to a booking that waited for Microsoft. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GRAPH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type WebhookDeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly httpSeries = new Map<string, { observe(seconds: number): void }>();
  private readonly graphRequests: Counter<'operation' | 'status'>;
  private readonly graphDuration: Histogram<'operation'>;
  private readonly tokenRefreshes: Counter<'outcome'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private queueStats: (() => Promise<QueueStats[]>) | null = null;
  /** One read shared by the depth and age gauges, which prom-client collects concurrently. */
  private reading: Promise<QueueStats[]> | null = null;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'kailenty_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern (never the raw URL) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.graphRequests = new Counter({
      name: 'kailenty_graph_requests_total',
      help: 'Microsoft Graph requests (each retry counted) by operation and status; status "none" when Graph did not answer.',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.graphDuration = new Histogram({
      name: 'kailenty_graph_request_duration_seconds',
      help: 'Microsoft Graph request duration by operation (each retry timed on its own).',
      labelNames: ['operation'],
      buckets: GRAPH_BUCKETS,
      registers,
    });
    this.tokenRefreshes = new Counter({
      name: 'kailenty_token_refreshes_total',
      help: 'Access tokens asked of Entra ID for members, by outcome: cached, refreshed, or why it was refused.',
      labelNames: ['outcome'],
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'kailenty_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, tried again later), failed (given up).',
      labelNames: ['outcome'],
      registers,
    });
    const stats = () => this.readQueues();
    new Gauge({
      name: 'kailenty_queue_depth',
      help: 'Items waiting in each database queue: calendar_outbox, event_outbox, notification_inbox, webhook_deliveries.',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const q of await stats()) this.set({ queue: q.queue }, q.depth);
      },
    });
    new Gauge({
      name: 'kailenty_queue_oldest_age_seconds',
      help: 'Seconds the oldest item of each database queue has waited (calendar_outbox: since it became due).',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        for (const q of await stats()) this.set({ queue: q.queue }, q.oldestAgeSeconds);
      },
    });
  }

  /** Where the queue gauges read from; without it they have no samples. */
  watchQueues(read: () => Promise<QueueStats[]>): void {
    this.queueStats = read;
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    // The labelled series is looked up once per method, route pattern and status (a bounded set), not
    // hashed from its labels on every request.
    const id = `${method} ${status} ${route}`;
    let series = this.httpSeries.get(id);
    if (!series) {
      series = this.httpDuration.labels({ method, route, status: String(status) });
      this.httpSeries.set(id, series);
    }
    series.observe(seconds);
  }

  graphRequest(operation: string, status: number | null, seconds: number): void {
    this.graphRequests.inc({ operation, status: status === null ? 'none' : String(status) });
    this.graphDuration.observe({ operation }, seconds);
  }

  tokenRefresh(outcome: string): void {
    this.tokenRefreshes.inc({ outcome });
  }

  webhookDelivery(outcome: WebhookDeliveryOutcome, count = 1): void {
    if (count > 0) this.webhookDeliveries.inc({ outcome }, count);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  private readQueues(): Promise<QueueStats[]> {
    const read = this.queueStats;
    if (!read) return Promise.resolve([]);
    if (!this.reading) {
      // A database that does not answer leaves the gauges empty; /metrics still serves the rest.
      this.reading = read()
        .catch(() => [])
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }
}
