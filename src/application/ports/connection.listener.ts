// What else must happen when a member's connection comes or goes (e.g. Graph change subscriptions).
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';

export abstract class ConnectionListener {
  abstract connected(connection: MicrosoftConnection): Promise<void>;
  abstract disconnected(connection: MicrosoftConnection): Promise<void>;
}

/** For wiring without change notifications. */
export class NoConnectionListener extends ConnectionListener {
  async connected(): Promise<void> {}
  async disconnected(): Promise<void> {}
}
