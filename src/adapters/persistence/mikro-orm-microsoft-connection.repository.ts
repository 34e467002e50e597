// Microsoft connections, tenant consents and OAuth states in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import {
  MicrosoftConnection,
  type MicrosoftConnectionSnapshot,
} from '@domain/connection/microsoft-connection.js';
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { TenantConsent, type TenantConsentSnapshot } from '@domain/consent/tenant-consent.js';
import type { WorkingHours } from '@domain/availability/working-hours.js';
import {
  AuthorizationStateRepository,
  MicrosoftConnectionRepository,
  TenantConsentRepository,
} from '@application/ports/microsoft-connection.repository.js';
import {
  AuthorizationStateSchema,
  MicrosoftConnectionSchema,
  TenantConsentSchema,
  type AuthorizationStateRecord,
  type MicrosoftConnectionRecord,
  type TenantConsentRecord,
} from './schemas/microsoft.schema.js';
import { isUuid } from './mikro-orm-member.repository.js';
import { execute } from './sql.js';
import { loadedReturnUrl, storedReturnUrl } from './return-url-column.js';

const fresh = { disableIdentityMap: true } as const;

export class MikroOrmMicrosoftConnectionRepository extends MicrosoftConnectionRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null> {
    if (!isUuid(memberId)) return null;
    const row = await this.em.findOne(MicrosoftConnectionSchema, { memberId, workspaceId }, fresh);
    return row ? toConnection(row) : null;
  }

  /** On every slots query and booking: plain SQL, the ORM's find costs ~10× more CPU. */
  async findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]> {
    const ids = memberIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await execute<Record<string, unknown>>(
      this.em,
      `select * from microsoft_connections where workspace_id = ? and member_id in (${ids.map(() => '?').join(',')})`,
      [workspaceId, ...ids],
    );
    return rows.map((r) =>
      MicrosoftConnection.fromSnapshot({
        workspaceId: r.workspace_id as string,
        memberId: r.member_id as string,
        userId: r.user_id as string,
        tenantId: r.tenant_id as string,
        homeAccountId: r.home_account_id as string,
        mailbox: r.mailbox as string,
        timeZone: (r.time_zone as string | null) ?? null,
        windowsTimeZone: (r.windows_time_zone as string | null) ?? null,
        workingHours: jsonColumn<WorkingHours>(r.working_hours),
        teamsEnabled: Boolean(r.teams_enabled),
        status: r.status as MicrosoftConnectionSnapshot['status'],
        statusReason: (r.status_reason as string | null) ?? null,
        connectedAt: new Date(r.connected_at as string),
        lastSignInAt: new Date(r.last_sign_in_at as string),
        statusChangedAt: new Date(r.status_changed_at as string),
      }),
    );
  }

  async listByWorkspace(workspaceId: string): Promise<MicrosoftConnection[]> {
    const rows = await this.em.find(
      MicrosoftConnectionSchema,
      { workspaceId },
      { ...fresh, orderBy: { connectedAt: 'asc' } },
    );
    return rows.map(toConnection);
  }

  async save(connection: MicrosoftConnection): Promise<void> {
    await this.em.upsert(MicrosoftConnectionSchema, connection.toSnapshot(), {
      onConflictFields: ['memberId'],
      onConflictAction: 'merge',
    });
  }

  async delete(workspaceId: string, memberId: string): Promise<void> {
    await this.em.nativeDelete(MicrosoftConnectionSchema, { workspaceId, memberId });
  }
}

function toConnection(row: MicrosoftConnectionRecord): MicrosoftConnection {
  return MicrosoftConnection.fromSnapshot({
    ...row,
    timeZone: row.timeZone ?? null,
    windowsTimeZone: row.windowsTimeZone ?? null,
    workingHours: jsonColumn<WorkingHours>(row.workingHours),
    statusReason: row.statusReason ?? null,
  } as MicrosoftConnectionSnapshot);
}

/** A jsonb value as the driver hands it over: parsed already (pg, PGlite) or as text. */
function jsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

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

export class MikroOrmAuthorizationStateRepository extends AuthorizationStateRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(state: AuthorizationState): Promise<void> {
    const snapshot = state.toSnapshot();
    await this.em.insert(AuthorizationStateSchema, {
      ...snapshot,
      returnUrl: storedReturnUrl(snapshot.returnUrl),
    });
  }

  async consume(id: string, now: Date): Promise<AuthorizationState | null> {
    // One statement: of two callbacks racing with the same state, exactly one gets the row.
    const rows = await execute<AuthorizationStateRecord>(
      this.em,
      'update authorization_states set consumed_at = ? where id = ? and consumed_at is null returning *',
      [now, id],
    );
    const row = rows[0] as unknown as Record<string, unknown> | undefined;
    if (!row) return null;
    const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    const snapshot: AuthorizationStateSnapshot = {
      id: row.id as string,
      purpose: row.purpose as AuthorizationStateSnapshot['purpose'],
      workspaceId: row.workspace_id as string,
      memberId: (row.member_id as string | null) ?? null,
      returnUrl: loadedReturnUrl(row.return_url as string),
      codeVerifier: (row.code_verifier as string | null) ?? null,
      nonce: (row.nonce as string | null) ?? null,
      tenant: (row.tenant as string | null) ?? null,
      createdAt: date(row.created_at)!,
      expiresAt: date(row.expires_at)!,
      consumedAt: date(row.consumed_at),
    };
    return AuthorizationState.fromSnapshot(snapshot);
  }

  async deleteSpent(now: Date): Promise<number> {
    // A plain DELETE: several instances running it at once just delete fewer rows each.
    const [gone] = await execute<{ n: number }>(
      this.em,
      `with gone as (delete from authorization_states where expires_at <= ? or consumed_at is not null returning 1)
       select count(*)::int as n from gone`,
      [now],
    );
    return Number(gone?.n ?? 0);
  }
}
