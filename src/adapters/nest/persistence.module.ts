// The database adapters behind their ports. The ORM is created (and migrated) by the composition root.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { ApiKeyRepository, WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { IdempotencyStore } from '@application/ports/idempotency.store.js';
import { MikroOrmUnitOfWork } from '../persistence/mikro-orm-unit-of-work.js';
import {
  MikroOrmApiKeyRepository,
  MikroOrmWorkspaceRepository,
} from '../persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '../persistence/mikro-orm-member.repository.js';
import { MikroOrmIdempotencyStore } from '../persistence/mikro-orm-idempotency.store.js';
import { DatabaseHealth } from '../persistence/database-health.js';
import {
  AuthorizationStateRepository,
  MicrosoftConnectionRepository,
  TenantConsentRepository,
} from '@application/ports/microsoft-connection.repository.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import {
  MikroOrmAuthorizationStateRepository,
  MikroOrmMicrosoftConnectionRepository,
  MikroOrmTenantConsentRepository,
} from '../persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmDomainEventOutbox } from '../persistence/mikro-orm-domain-event.outbox.js';
import { CalendarVersions } from '@application/ports/free-busy.gateway.js';
import { MikroOrmCalendarVersions } from '../persistence/mikro-orm-calendar-versions.js';
import { RateLimitCounters } from '@application/ports/rate-limit-counters.js';
import { MikroOrmRateLimitCounters } from '../persistence/mikro-orm-rate-limit-counters.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { MikroOrmAuditTrail } from '../persistence/mikro-orm-audit-trail.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { SealedRecordCensus } from '../persistence/sealed-records.js';
import { ApiKeyRevocations } from '../persistence/api-key-cache.js';

const repositories = [
  { provide: UnitOfWork, useClass: MikroOrmUnitOfWork },
  { provide: WorkspaceRepository, useClass: MikroOrmWorkspaceRepository },
  { provide: MemberRepository, useClass: MikroOrmMemberRepository },
  { provide: MicrosoftConnectionRepository, useClass: MikroOrmMicrosoftConnectionRepository },
  { provide: TenantConsentRepository, useClass: MikroOrmTenantConsentRepository },
  { provide: AuthorizationStateRepository, useClass: MikroOrmAuthorizationStateRepository },
  { provide: DomainEventOutbox, useClass: MikroOrmDomainEventOutbox },
  { provide: CalendarVersions, useClass: MikroOrmCalendarVersions },
  { provide: RateLimitCounters, useClass: MikroOrmRateLimitCounters },
  { provide: AuditTrail, useClass: MikroOrmAuditTrail },
];

@Global()
@Module({})
export class PersistenceModule {
  /**
   * `encryptionKeys`: the TOKEN_ENCRYPTION_KEY keys (newest first). Their one SealedBox seals every secret
   * kept in the database (token caches, webhook secrets, idempotent responses) and is exported for them.
   */
  static forRoot(orm: MikroORM, encryptionKeys: Buffer[]): DynamicModule {
    const exported = [
      MikroORM,
      EntityManager,
      DatabaseHealth,
      SealedBox,
      SealedRecordCensus,
      IdempotencyStore,
      ApiKeyRepository,
      ...repositories.map((r) => r.provide),
    ];
    return {
      module: PersistenceModule,
      providers: [
        { provide: MikroORM, useValue: orm },
        { provide: EntityManager, useValue: orm.em },
        { provide: DatabaseHealth, useFactory: () => new DatabaseHealth(orm) },
        { provide: SealedBox, useValue: new SealedBox(encryptionKeys) },
        {
          provide: ApiKeyRevocations,
          useFactory: () => new ApiKeyRevocations(orm),
        },
        {
          provide: ApiKeyRepository,
          useFactory: (em: EntityManager, revocations: ApiKeyRevocations) =>
            new MikroOrmApiKeyRepository(em, revocations),
          inject: [EntityManager, ApiKeyRevocations],
        },
        {
          provide: SealedRecordCensus,
          useFactory: (em: EntityManager, box: SealedBox) => new SealedRecordCensus(em, box),
          inject: [EntityManager, SealedBox],
        },
        {
          provide: IdempotencyStore,
          useFactory: (em: EntityManager, box: SealedBox) => new MikroOrmIdempotencyStore(em, box),
          inject: [EntityManager, SealedBox],
        },
        ...repositories.map((r) => ({
          provide: r.provide,
          useFactory: (em: EntityManager) => new r.useClass(em),
          inject: [EntityManager],
        })),
      ],
      exports: exported,
    };
  }
}
