// The member access read model in PostgreSQL (server or PGlite): the member's connection and the workspace's
// consent in ONE statement (prepared on the server), where the two repositories take two round trips; within a
// unit of work (a booking request) once per member, and not at all for the hosts whose rows the unit's fresh
// slots read brought (MemberAccessUnits: the slots read model offers them).
import type { EntityManager } from '@mikro-orm/core';
import { TenantConsent, type TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import { MemberAccessReadModel, type MemberAccess } from '@application/ports/member-access.read-model.js';
import { isUuid } from '@domain/shared/validation.js';
import { serverStatement, ServerStatements } from './server-statements.js';
import { json, toConnection, type Row } from './mikro-orm-slots.read-model.js';
import { UnitMemo } from '../system/unit-memo.js';

const ONE = serverStatement(
  'kailenty_member_access',
  `select row_to_json(c) as connection, row_to_json(t) as consent
     from microsoft_connections c
     left join tenant_consents t on t.workspace_id = c.workspace_id
    where c.workspace_id = ?::uuid and c.member_id = ?::uuid`,
);

/**
 * The answers of the current unit of work, shared by the member access read model and the slots read model:
 * a booking's fresh slots read (made in the unit, from the database) brings its hosts' connections and the
 * workspace's consent, the very rows the access statement reads, and offers them as the unit's answers, so the
 * booking's getSchedule and calendar write read none again (one round trip less per booking).
 */
export class MemberAccessUnits {
  private readonly memo = new UnitMemo<MemberAccess | null>();

  read(workspaceId: string, memberId: string, load: () => Promise<MemberAccess | null>) {
    return this.memo.read(unitKey(workspaceId, memberId), load);
  }

  /** Rows read from the database within the unit: the member's answer unless the unit has one already. */
  offer(workspaceId: string, memberId: string, connection: Row | null, consent: Row | null): void {
    this.memo.offer(unitKey(workspaceId, memberId), () => toAccess(connection, consent));
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.memo.run(work);
  }

  forget(workspaceId: string, memberId: string): void {
    this.memo.forget(unitKey(workspaceId, memberId));
  }
}

export class MikroOrmMemberAccessReadModel extends MemberAccessReadModel {
  private readonly statements: ServerStatements;

  constructor(
    em: EntityManager,
    private readonly units = new MemberAccessUnits(),
  ) {
    super();
    this.statements = new ServerStatements(em);
  }

  forMember(workspaceId: string, memberId: string): Promise<MemberAccess | null> {
    return this.units.read(workspaceId, memberId, () => this.read(workspaceId, memberId));
  }

  oncePerUnit<T>(work: () => Promise<T>): Promise<T> {
    return this.units.run(work);
  }

  readAgain(workspaceId: string, memberId: string): void {
    this.units.forget(workspaceId, memberId);
  }

  private async read(workspaceId: string, memberId: string): Promise<MemberAccess | null> {
    if (!isUuid(workspaceId) || !isUuid(memberId)) return null;
    const [row] = await this.statements.rows<{ connection: unknown; consent: unknown }>(ONE, [
      workspaceId,
      memberId,
    ]);
    return row ? toAccess(json(row.connection) as Row, json(row.consent) as Row | null) : null;
  }
}

/** The access that a `microsoft_connections` row (none: null) and a `tenant_consents` row give, as `row_to_json` writes them. */
function toAccess(connection: Row | null, consent: Row | null): MemberAccess | null {
  if (!connection) return null;
  return { connection: toConnection(connection), consent: consent ? toConsent(consent) : null };
}

const unitKey = (workspaceId: string, memberId: string) => `${workspaceId}\u0000${memberId}`;

/** A `tenant_consents` row as `row_to_json` writes it. */
function toConsent(r: Row): TenantConsent {
  const at = (v: unknown) => (v == null ? null : new Date(v as string));
  return TenantConsent.fromSnapshot({
    workspaceId: r.workspace_id as string,
    tenantId: (r.tenant_id as string | null) ?? null,
    status: r.status as TenantConsentSnapshot['status'],
    grantType: (r.grant_type ?? null) as TenantConsentSnapshot['grantType'],
    scopes: (json(r.scopes) as string[] | null) ?? [],
    grantedAt: at(r.granted_at),
    grantedBy: (r.granted_by as string | null) ?? null,
    revokedAt: at(r.revoked_at),
    statusReason: (r.status_reason as string | null) ?? null,
    updatedAt: new Date(r.updated_at as string),
  });
}
