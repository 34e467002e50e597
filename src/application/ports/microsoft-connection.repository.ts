// Where members' Microsoft connections are kept.
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';

export abstract class MicrosoftConnectionRepository {
  abstract findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null>;
  abstract findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]>;
  abstract listByWorkspace(workspaceId: string): Promise<MicrosoftConnection[]>;
  /** Inserts or replaces the member's connection. */
  abstract save(connection: MicrosoftConnection): Promise<void>;
  abstract delete(workspaceId: string, memberId: string): Promise<void>;
}
