// Revocation and re-authentication, in one place: a use case whose Microsoft call was refused (the adapter
// answers a MicrosoftRefusal, or a free/busy read's `refusal`) records the verdict here. The connection (or, when the application itself is refused, the whole tenant) is marked, no
// further Graph call is made for it, a connection.revoked event is recorded once per member, with the
// audit trail's member.connection_revoked (and admin_consent.revoked for the tenant), by the service, and
// each change is a warn line for operators (the member must sign in again; a tenant needs its administrator).
import { connectionStatusFor, type FailureVerdict } from '@domain/consent/microsoft-failure.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { SERVICE } from '@domain/audit/audit-event.js';
import { AuditTrail } from '../ports/audit-trail.js';
import { Clock } from '../ports/clock.js';
import { DomainEventOutbox } from '../ports/domain-event.outbox.js';
import { MemberRepository } from '../ports/member.repository.js';
import { MicrosoftConnectionRepository } from '../ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '../ports/tenant-consent.repository.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { ConnectionViews } from './connection-views.js';
import { CalendarSubscriptionRepository } from '../ports/calendar-subscription.repository.js';
import { OperationalLog } from '../ports/operational-log.js';
import { MicrosoftRefusal } from '../ports/microsoft-refusal.js';

export class RecordMicrosoftFailure {
  constructor(
    private readonly connections: MicrosoftConnectionRepository,
    private readonly consents: TenantConsentRepository,
    private readonly members: MemberRepository,
    private readonly outbox: DomainEventOutbox,
    private readonly views: ConnectionViews,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly log: OperationalLog,
    /** A refused connection's Graph subscription can no longer be renewed (nor removed): it stops here. */
    private readonly subscriptions?: CalendarSubscriptionRepository,
  ) {}

  /** Records the refusal an error carries (a MicrosoftRefusal); any other error records nothing. */
  async recordRefusalIn(error: unknown): Promise<void> {
    if (error instanceof MicrosoftRefusal) await this.execute({ ...error.whose, verdict: error.verdict });
  }

  async execute(input: {
    workspaceId: string;
    memberId: string;
    verdict: FailureVerdict;
  }): Promise<FailureVerdict> {
    const verdict = input.verdict;
    const status = connectionStatusFor(verdict) ?? (verdict.tenantWide ? 'revoked' : null);
    if (!status) return verdict;
    const now = this.clock.now();
    const changed: MicrosoftConnection[] = [];
    let tenantRevoked: string | null = null;
    await this.uow.transactional(async () => {
      const own = await this.connections.findByMember(input.workspaceId, input.memberId);
      let affected = own ? [own] : [];
      if (verdict.tenantWide) {
        const tenantId = own?.tenantId;
        affected = (await this.connections.listByWorkspace(input.workspaceId)).filter(
          (c) => tenantId === undefined || c.tenantId === tenantId,
        );
        const consent =
          (await this.consents.find(input.workspaceId)) ?? TenantConsent.none(input.workspaceId, now);
        if (consent.revoke(verdict.reason, now)) {
          await this.consents.save(input.workspaceId, consent);
          // A consent no tenant ever gave (none recorded, no connection) withdraws no access: nothing to audit.
          const revokedTenant = consent.toSnapshot().tenantId ?? tenantId;
          if (revokedTenant) {
            await this.audit.record(input.workspaceId, {
              type: 'admin_consent.revoked',
              objectId: revokedTenant,
              details: { reason: verdict.reason },
              by: SERVICE,
              occurredAt: now,
            });
          }
          tenantRevoked = tenantId ?? revokedTenant ?? 'unknown';
        }
      }
      for (const connection of affected) {
        if (connection.markFailed(status, verdict.reason, now)) {
          await this.connections.save(connection);
          await this.audit.record(input.workspaceId, {
            type: 'member.connection_revoked',
            objectId: connection.memberId,
            details: { status, reason: verdict.reason },
            by: SERVICE,
            occurredAt: now,
          });
          changed.push(connection);
        }
      }
      if (changed.length === 0) return;
      for (const connection of changed)
        await this.subscriptions?.stop(input.workspaceId, connection.memberId, verdict.reason, now);
      const members = await this.members.findByIds(
        input.workspaceId,
        changed.map((c) => c.memberId),
      );
      for (const member of await this.views.members(input.workspaceId, members)) {
        await this.outbox.record({
          workspaceId: input.workspaceId,
          type: 'connection.revoked',
          data: member,
          occurredAt: now,
        });
      }
    });
    if (tenantRevoked)
      this.log.warn(
        'microsoft.tenant_consent_revoked',
        `Microsoft refused kailenty for tenant ${tenantRevoked} (${verdict.reason}): every member's connection stops until an administrator grants consent again`,
        { workspaceId: input.workspaceId, tenantId: tenantRevoked, reason: verdict.reason },
      );
    for (const connection of changed)
      this.log.warn(
        'microsoft.connection_revoked',
        `Microsoft 365 connection of member ${connection.memberId} is now ${status} (${verdict.reason}): no Graph call is made for it until the member signs in again`,
        {
          workspaceId: input.workspaceId,
          memberId: connection.memberId,
          status,
          reason: verdict.reason,
          tenantWide: verdict.tenantWide,
        },
      );
    return verdict;
  }
}
