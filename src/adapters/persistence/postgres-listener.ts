// One dedicated PostgreSQL connection that LISTENs on some channels and hands each notification over, and
// says whether it is listening: a notification sent while it was not is lost, so whoever relies on it must
// stop trusting what it knows while `onLive(false)`. A lost connection is opened again every second. The
// connection is named (`application_name`) so that instances can count each other's listeners.
import pg from 'pg';
import { Logger } from '@nestjs/common';

export interface ListenerHandlers {
  onNotification(channel: string, payload: string): void;
  /** Listening (true, after LISTEN took effect) or not (false: the connection failed or closed). */
  onLive(live: boolean): void;
}

const RETRY_MS = 1000;

export class PostgresListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private failures = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    /** The `application_name` of the connection: the same for every instance of one kind of listener. */
    readonly name: string,
    private readonly channels: readonly string[],
    private readonly handlers: ListenerHandlers,
    private readonly logger = new Logger('PostgresListener'),
  ) {}

  get live(): boolean {
    return this.client !== null;
  }

  /** Connects and listens; resolves after the first attempt, whether it worked or will be retried. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Runs a statement on the listening connection (none while it is not live). */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = this.client;
    if (!client) throw new Error('not listening');
    // One at a time: the driver queues them anyway, but asking while one runs is deprecated (pg 9 drops it).
    const result = this.queue.then(() => client.query<T>(text, values));
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return (await result).rows;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      this.handlers.onLive(false);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      application_name: this.name,
    });
    client.on('notification', (message) => {
      if (this.client === client && this.channels.includes(message.channel)) {
        this.handlers.onNotification(message.channel, message.payload ?? '');
      }
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`listen ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      if (this.failures++ === 0) {
        this.logger.warn(
          `Cannot listen for ${this.channels.join(', ')}, retrying every ${RETRY_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.retryLater();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.failures > 0) this.logger.log(`Listening for ${this.channels.join(', ')} again`);
    this.failures = 0;
    this.client = client;
    this.handlers.onLive(true);
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.handlers.onLive(false);
    void client.end().catch(() => undefined);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, RETRY_MS);
    this.retry.unref();
  }
}

/**
 * Answers counted per token, for a notification every listening instance must acknowledge (an API key's
 * revocation, a read cache's barrier): `expect` a token before its notification can come back, count what
 * is `heard`, and `wait` until as many answers as instances, or the time is up.
 */
export class Acknowledgements {
  private readonly waiting = new Map<string, { heard: number; wake: () => void }>();

  expect(token: string): void {
    if (!this.waiting.has(token)) this.waiting.set(token, { heard: 0, wake: () => undefined });
  }

  has(token: string): boolean {
    return this.waiting.has(token);
  }

  /** One answer for `token` (none is counted for a token no one expects). */
  heard(token: string): void {
    const entry = this.waiting.get(token);
    if (!entry) return;
    entry.heard++;
    entry.wake();
  }

  /** The answers heard for `token` once `expected` came or `ms` passed; the token is forgotten. */
  async wait(token: string, expected: number, ms: number): Promise<number> {
    this.expect(token);
    const entry = this.waiting.get(token)!;
    const deadline = Date.now() + ms;
    try {
      while (entry.heard < expected && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          entry.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return entry.heard;
    } finally {
      this.waiting.delete(token);
    }
  }

  /** Forgets `token` (its wait will not come). */
  forget(token: string): void {
    this.waiting.delete(token);
  }
}
