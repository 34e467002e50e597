// Tenant consents in memory, for fast tests of use cases.
import { TenantConsent, type TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';

export class InMemoryTenantConsentRepository extends TenantConsentRepository {
  private readonly rows = new Map<string, TenantConsentSnapshot>();

  async find(workspaceId: string): Promise<TenantConsent | null> {
    const row = this.rows.get(workspaceId);
    return row ? TenantConsent.fromSnapshot(row) : null;
  }

  async save(workspaceId: string, consent: TenantConsent): Promise<void> {
    this.rows.set(workspaceId, { ...consent.toSnapshot(), workspaceId });
  }
}
