// What a call to Microsoft on a member's behalf must know first, read at once: the member's connection and the
// workspace's tenant-wide consent. Read on every call, never kept, so that a revocation recorded by any instance
// is refused at once; one read instead of two keeps each Graph call on the booking path one round trip lighter.
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { TenantConsent } from '@domain/consent/tenant-consent.js';

export interface MemberAccess {
  connection: MicrosoftConnection;
  /** Null when the workspace has no consent record yet. */
  consent: TenantConsent | null;
}

export abstract class MemberAccessReadModel {
  /** Null when the member has no Microsoft connection in this workspace. */
  abstract forMember(workspaceId: string, memberId: string): Promise<MemberAccess | null>;
}
