// Every database adapter behind its port, in one list: `bind(Port, Adapter, [its dependencies])`. The ORM is
// created (and migrated) by the composition root; the one SealedBox seals what the rows keep secret.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { ApiKeyRepository } from '@application/ports/api-key.repository.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { DomainEventFeed } from '@application/ports/domain-event.feed.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { RateLimitCounters } from '@application/ports/rate-limit-counters.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { AvailabilityPolicyRepository } from '@application/ports/availability-policy.repository.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { SlotsReadModel } from '@application/ports/slots.read-model.js';
import { EventTypeReadModel } from '@application/ports/event-type.read-model.js';
import { MemberAccessReadModel } from '@application/ports/member-access.read-model.js';
import { BookingRepository } from '@application/ports/booking.repository.js';
import { HoldRepository } from '@application/ports/hold.repository.js';
import { CalendarSyncQueue } from '@application/ports/calendar-sync.queue.js';
import { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import { ChangeNotificationInbox } from '@application/ports/change-notification.inbox.js';
import { WebhookEndpointRepository } from '@application/ports/webhook-endpoint.repository.js';
import { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import { MikroOrmUnitOfWork } from '../persistence/mikro-orm-unit-of-work.js';
import { MikroOrmApiKeyRepository } from '../persistence/mikro-orm-api-key.repository.js';
import { MikroOrmWorkspaceRepository } from '../persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '../persistence/mikro-orm-member.repository.js';
import { MikroOrmIdempotencyStore } from '../persistence/mikro-orm-idempotency.store.js';
import { MikroOrmAuthorizationStateRepository } from '../persistence/mikro-orm-authorization-state.repository.js';
import { MikroOrmMicrosoftConnectionRepository } from '../persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmTenantConsentRepository } from '../persistence/mikro-orm-tenant-consent.repository.js';
import { MikroOrmDomainEventOutbox } from '../persistence/mikro-orm-domain-event.outbox.js';
import { MikroOrmDomainEventFeed } from '../persistence/mikro-orm-domain-event.feed.js';
import { MikroOrmCalendarVersions } from '../persistence/mikro-orm-calendar-versions.js';
import { MikroOrmRateLimitCounters } from '../persistence/mikro-orm-rate-limit-counters.js';
import { MikroOrmAuditTrail } from '../persistence/mikro-orm-audit-trail.js';
import { MikroOrmAvailabilityPolicyRepository } from '../persistence/mikro-orm-availability-policy.repository.js';
import { MikroOrmEventTypeRepository } from '../persistence/mikro-orm-event-type.repository.js';
import { MikroOrmSlotsReadModel } from '../persistence/mikro-orm-slots.read-model.js';
import { MikroOrmEventTypeReadModel } from '../persistence/mikro-orm-event-type.read-model.js';
import {
  MemberAccessUnits,
  MikroOrmMemberAccessReadModel,
} from '../persistence/mikro-orm-member-access.read-model.js';
import { MikroOrmBookingRepository } from '../persistence/mikro-orm-booking.repository.js';
import { MikroOrmHoldRepository } from '../persistence/mikro-orm-hold.repository.js';
import { MikroOrmCalendarSyncQueue } from '../persistence/mikro-orm-calendar-sync.queue.js';
import { MikroOrmCalendarSubscriptionRepository } from '../persistence/mikro-orm-calendar-subscription.repository.js';
import { MikroOrmChangeNotificationCoverage } from '../persistence/mikro-orm-change-notification-coverage.js';
import { MikroOrmChangeNotificationInbox } from '../persistence/mikro-orm-change-notification.inbox.js';
import { MikroOrmWebhookEndpointRepository } from '../persistence/mikro-orm-webhook-endpoint.repository.js';
import { MikroOrmWebhookDeliveryRepository } from '../persistence/mikro-orm-webhook-delivery.repository.js';
import { EncryptedTokenVault } from '../persistence/encrypted-token-vault.js';
import { TokenVault } from '../microsoft/entra/token-vault.js';
import { DatabaseHealth } from '../persistence/database-health.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { SealedRecordCensus } from '../persistence/sealed-records.js';
import { ApiKeyRevocations } from '../persistence/api-key-revocations.js';
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { bind, construct } from './provide.js';

const adapters = [
  construct(ApiKeyRevocations, [MikroORM]),
  construct(WorkspaceReadCache, [MikroORM]),
  bind(UnitOfWork, MikroOrmUnitOfWork, [EntityManager]),
  bind(WorkspaceRepository, MikroOrmWorkspaceRepository, [EntityManager]),
  bind(ApiKeyRepository, MikroOrmApiKeyRepository, [EntityManager, ApiKeyRevocations]),
  bind(MemberRepository, MikroOrmMemberRepository, [EntityManager]),
  bind(IdempotencyStore, MikroOrmIdempotencyStore, [EntityManager, SealedBox]),
  bind(MicrosoftConnectionRepository, MikroOrmMicrosoftConnectionRepository, [EntityManager]),
  bind(TenantConsentRepository, MikroOrmTenantConsentRepository, [EntityManager]),
  bind(AuthorizationStateRepository, MikroOrmAuthorizationStateRepository, [EntityManager]),
  bind(TokenVault, EncryptedTokenVault, [EntityManager, SealedBox]),
  bind(DomainEventOutbox, MikroOrmDomainEventOutbox, [EntityManager]),
  bind(DomainEventFeed, MikroOrmDomainEventFeed, [EntityManager]),
  bind(CalendarVersions, MikroOrmCalendarVersions, [EntityManager]),
  bind(RateLimitCounters, MikroOrmRateLimitCounters, [EntityManager]),
  bind(AuditTrail, MikroOrmAuditTrail, [EntityManager]),
  bind(AvailabilityPolicyRepository, MikroOrmAvailabilityPolicyRepository, [EntityManager]),
  bind(EventTypeRepository, MikroOrmEventTypeRepository, [EntityManager]),
  construct(MemberAccessUnits, []),
  bind(SlotsReadModel, MikroOrmSlotsReadModel, [EntityManager, WorkspaceReadCache, MemberAccessUnits]),
  bind(EventTypeReadModel, MikroOrmEventTypeReadModel, [EntityManager, WorkspaceReadCache]),
  bind(MemberAccessReadModel, MikroOrmMemberAccessReadModel, [EntityManager, MemberAccessUnits]),
  bind(BookingRepository, MikroOrmBookingRepository, [EntityManager, WorkspaceReadCache]),
  bind(HoldRepository, MikroOrmHoldRepository, [EntityManager]),
  bind(CalendarSyncQueue, MikroOrmCalendarSyncQueue, [EntityManager]),
  bind(CalendarSubscriptionRepository, MikroOrmCalendarSubscriptionRepository, [EntityManager]),
  bind(ChangeNotificationCoverage, MikroOrmChangeNotificationCoverage, [EntityManager]),
  bind(ChangeNotificationInbox, MikroOrmChangeNotificationInbox, [EntityManager]),
  bind(WebhookEndpointRepository, MikroOrmWebhookEndpointRepository, [EntityManager, SealedBox]),
  bind(WebhookDeliveryRepository, MikroOrmWebhookDeliveryRepository, [EntityManager]),
  construct(DatabaseHealth, [MikroORM]),
  construct(SealedRecordCensus, [EntityManager, SealedBox]),
];

@Global()
@Module({})
export class PersistenceModule {
  /**
   * `encryptionKeys`: the TOKEN_ENCRYPTION_KEY keys (newest first). Their one SealedBox seals every secret
   * kept in the database (token caches, webhook secrets, idempotent responses) and is exported for them.
   */
  static forRoot(orm: MikroORM, encryptionKeys: Buffer[]): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: MikroORM, useValue: orm },
        { provide: EntityManager, useValue: orm.em },
        { provide: SealedBox, useValue: new SealedBox(encryptionKeys) },
        ...adapters,
      ],
      exports: [MikroORM, EntityManager, SealedBox, ...adapters.map((a) => a.provide)],
    };
  }
}
