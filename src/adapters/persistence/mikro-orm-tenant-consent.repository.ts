// Workspaces' tenant-wide consent in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import { TenantConsent, type TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { TenantConsentSchema, type TenantConsentRecord } from './schemas/microsoft.schema.js';
import { fresh } from './sql.js';

export class MikroOrmTenantConsentRepository extends TenantConsentRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async find(workspaceId: string): Promise<TenantConsent | null> {
    const row = await this.em.findOne(TenantConsentSchema, { workspaceId }, fresh);
    return row ? TenantConsent.fromSnapshot(toConsentSnapshot(row)) : null;
  }

  async save(workspaceId: string, consent: TenantConsent): Promise<void> {
    await this.em.upsert(
      TenantConsentSchema,
      { ...consent.toSnapshot(), workspaceId },
      { onConflictFields: ['workspaceId'], onConflictAction: 'merge' },
    );
  }
}

function toConsentSnapshot(row: TenantConsentRecord): TenantConsentSnapshot {
  return {
    workspaceId: row.workspaceId,
    tenantId: row.tenantId ?? null,
    status: row.status as TenantConsentSnapshot['status'],
    grantType: (row.grantType ?? null) as TenantConsentSnapshot['grantType'],
    scopes: typeof row.scopes === 'string' ? JSON.parse(row.scopes) : (row.scopes ?? []),
    grantedAt: row.grantedAt ?? null,
    grantedBy: row.grantedBy ?? null,
    revokedAt: row.revokedAt ?? null,
    statusReason: row.statusReason ?? null,
    updatedAt: row.updatedAt,
  };
}
