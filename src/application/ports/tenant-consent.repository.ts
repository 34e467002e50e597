// Where a workspace's tenant-wide (admin) consent is kept.
import type { TenantConsent } from '@domain/consent/tenant-consent.js';

export abstract class TenantConsentRepository {
  abstract find(workspaceId: string): Promise<TenantConsent | null>;
  abstract save(workspaceId: string, consent: TenantConsent): Promise<void>;
}
