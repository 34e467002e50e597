// What a call to Microsoft on a member's behalf must know first, read at once: the member's connection and the
// workspace's tenant-wide consent. Read on every call outside a unit of work, never kept across units, so that
// a revocation recorded by any instance is refused by the next unit; one read instead of two keeps each Graph
// call on the booking path one round trip lighter, and one read per unit keeps a booking's fresh read and its
// first calendar write from reading the same member twice.
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { TenantConsent } from '@domain/consent/tenant-consent.js';

export interface MemberAccess {
  connection: MicrosoftConnection;
  /** Null when the workspace has no consent record yet. */
  consent: TenantConsent | null;
}

export abstract class MemberAccessReadModel {
  /**
   * Null when the member has no Microsoft connection in this workspace. Within a unit (`oncePerUnit`), the
   * unit's first answer for the member (not to be changed by the caller).
   */
  abstract forMember(workspaceId: string, memberId: string): Promise<MemberAccess | null>;

  /**
   * Runs `work` as one unit of work (one booking request): within it, each member's access is read from the
   * store once and that answer serves the unit's later reads (a unit started inside another is a new one).
   * What was committed before the unit started is seen; what commits while it runs is seen by the next unit.
   */
  abstract oncePerUnit<T>(work: () => Promise<T>): Promise<T>;

  /**
   * Within the current unit, the member's next read goes to the store again (after Microsoft refused a token
   * or asked for a new one, when what kailenty recorded may have changed); nothing outside a unit.
   */
  abstract readAgain(workspaceId: string, memberId: string): void;
}
