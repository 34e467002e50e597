// Microsoft 365: Entra ID through MSAL, Graph through the official client, the encrypted token vault, and
// the sign-in, consent and revocation use cases with their HTTP endpoints.
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Clock } from '@application/ports/clock.js';
import { Secrets } from '@application/ports/secrets.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { IdentityProvider, MicrosoftTokenProvider } from '@application/ports/identity-provider.js';
import { MailboxProfileReader } from '@application/ports/mailbox-profile.reader.js';
import { ConsentLinks } from '@application/ports/consent-links.js';
import { ConnectionListener } from '@application/ports/connection.listener.js';
import {
  CalendarSubscriptionRepository,
  ChangeNotificationCoverage,
} from '@application/ports/calendar-subscription.repository.js';
import { CalendarChangeFeed } from '@application/ports/calendar-change-feed.js';
import { ClientStates } from '@application/ports/change-notification.inbox.js';
import { WatchCalendar } from '@application/notification/watch-calendar.use-case.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import {
  AuthorizationStateRepository,
  MicrosoftConnectionRepository,
  TenantConsentRepository,
} from '@application/ports/microsoft-connection.repository.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { CompleteMicrosoftConnection } from '@application/connection/complete-microsoft-connection.use-case.js';
import { GetMicrosoftConnection } from '@application/connection/get-microsoft-connection.use-case.js';
import { DisconnectMicrosoft } from '@application/connection/disconnect-microsoft.use-case.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { GetTenantStatus } from '@application/consent/get-tenant-status.use-case.js';
import {
  FollowAdminConsentLink,
  StartAdminConsent,
} from '@application/consent/start-admin-consent.use-case.js';
import { CompleteAdminConsent } from '@application/consent/complete-admin-consent.use-case.js';
import type { MicrosoftSettings } from '../microsoft/microsoft-settings.js';
import { MsalClients, MsalIdentityProvider, MsalTokenProvider } from '../microsoft/entra/msal-entra.js';
import { EncryptedTokenVault, TokenVault } from '../microsoft/entra/token-vault.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { GraphClients } from '../microsoft/graph/graph-clients.js';
import { GraphMailboxProfileReader } from '../microsoft/graph/graph-mailbox-profile.reader.js';
import { GraphFreeBusyGateway } from '../microsoft/graph/graph-free-busy.gateway.js';
import { CachedFreeBusyGateway } from '../cache/cached-free-busy.gateway.js';
import { CalendarVersions, FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import { HmacConsentLinks } from '../microsoft/hmac-consent-links.js';
import { GraphChangeFeed } from '../microsoft/graph/graph-change-feed.js';
import {
  MikroOrmCalendarSubscriptionRepository,
  MikroOrmChangeNotificationCoverage,
} from '../persistence/mikro-orm-calendar-subscriptions.js';
import { NodeClientStates } from '../system/node-client-states.js';
import { MicrosoftTelemetry } from '../microsoft/microsoft-telemetry.js';
import { Metrics } from '../observability/metrics.js';
import { MicrosoftConnectionController } from '../http/controllers/microsoft-connection.controller.js';
import { OAuthController } from '../http/controllers/oauth.controller.js';
import { PermissionsController, TenantController } from '../http/controllers/tenant.controller.js';

export interface MicrosoftModuleOptions {
  settings: MicrosoftSettings;
  tokenEncryptionKeys: Buffer[];
  /** Safety-net lifetime of cached free/busy (change notifications invalidate it sooner). */
  freeBusyTtlMs?: number;
  /** Lifetime of cached free/busy for members without a live Graph subscription. */
  freeBusyShortTtlMs?: number;
  /** Schedules per getSchedule call (GRAPH_SCHEDULES_PER_CALL; 20 when unset). */
  schedulesPerCall?: number;
}

/** `useFactory` with its dependencies named once. */
function factory<T>(
  provide: abstract new (...args: never[]) => T,
  inject: unknown[],
  make: (...deps: never[]) => T,
) {
  return { provide, useFactory: make, inject } as Provider;
}

@Global()
@Module({})
export class MicrosoftModule {
  static forRoot(options: MicrosoftModuleOptions): DynamicModule {
    const { settings } = options;
    const providers: Provider[] = [
      factory(
        MicrosoftTelemetry,
        [Metrics, OperationalLog],
        (m: Metrics, l: OperationalLog) => new MicrosoftTelemetry(m, l),
      ),
      factory(MsalClients, [MicrosoftTelemetry], (t: MicrosoftTelemetry) => new MsalClients(settings, t)),
      factory(
        TokenVault,
        [EntityManager, SealedBox],
        (em: EntityManager, box: SealedBox) => new EncryptedTokenVault(em, box),
      ),
      {
        provide: ConsentLinks,
        useFactory: () => new HmacConsentLinks(settings.publicUrl, options.tokenEncryptionKeys),
      },
      // Graph change notifications: one subscription per connected member, made on connect.
      factory(
        CalendarSubscriptionRepository,
        [EntityManager],
        (em: EntityManager) => new MikroOrmCalendarSubscriptionRepository(em),
      ),
      factory(
        ChangeNotificationCoverage,
        [EntityManager],
        (em: EntityManager) => new MikroOrmChangeNotificationCoverage(em),
      ),
      { provide: ClientStates, useFactory: () => new NodeClientStates() },
      factory(
        CalendarChangeFeed,
        [GraphClients],
        (g: GraphClients) => new GraphChangeFeed(g, settings.publicUrl, settings.graphUrl),
      ),
      factory(
        WatchCalendar,
        [CalendarSubscriptionRepository, CalendarChangeFeed, ClientStates, Clock, OperationalLog],
        (
          r: CalendarSubscriptionRepository,
          f: CalendarChangeFeed,
          s: ClientStates,
          k: Clock,
          l: OperationalLog,
        ) => new WatchCalendar(r, f, s, k, l),
      ),
      { provide: ConnectionListener, useExisting: WatchCalendar },
      factory(
        IdentityProvider,
        [MsalClients, TokenVault],
        (c: MsalClients, v: TokenVault) => new MsalIdentityProvider(c, v),
      ),
      factory(
        ConnectionViews,
        [MicrosoftConnectionRepository, WorkspaceRepository, ConsentLinks, Clock, ChangeNotificationCoverage],
        (
          c: MicrosoftConnectionRepository,
          w: WorkspaceRepository,
          l: ConsentLinks,
          k: Clock,
          g: ChangeNotificationCoverage,
        ) => new ConnectionViews(c, w, l, k, g),
      ),
      factory(
        RecordMicrosoftFailure,
        [
          MicrosoftConnectionRepository,
          TenantConsentRepository,
          MemberRepository,
          DomainEventOutbox,
          ConnectionViews,
          Clock,
          UnitOfWork,
          AuditTrail,
          OperationalLog,
          CalendarSubscriptionRepository,
        ],
        (
          c: MicrosoftConnectionRepository,
          t: TenantConsentRepository,
          m: MemberRepository,
          o: DomainEventOutbox,
          v: ConnectionViews,
          k: Clock,
          u: UnitOfWork,
          a: AuditTrail,
          l: OperationalLog,
          r: CalendarSubscriptionRepository,
        ) => new RecordMicrosoftFailure(c, t, m, o, v, k, u, a, l, r),
      ),
      factory(
        MicrosoftTokenProvider,
        [
          MsalClients,
          TokenVault,
          MicrosoftConnectionRepository,
          TenantConsentRepository,
          RecordMicrosoftFailure,
          MicrosoftTelemetry,
        ],
        (
          c: MsalClients,
          v: TokenVault,
          r: MicrosoftConnectionRepository,
          t: TenantConsentRepository,
          f: RecordMicrosoftFailure,
          m: MicrosoftTelemetry,
        ) => new MsalTokenProvider(c, v, r, t, f, m),
      ),
      factory(
        GraphClients,
        [MicrosoftTokenProvider, RecordMicrosoftFailure, MicrosoftTelemetry],
        (t: MicrosoftTokenProvider, f: RecordMicrosoftFailure, m: MicrosoftTelemetry) =>
          new GraphClients(settings, t, f, {}, m),
      ),
      factory(MailboxProfileReader, [GraphClients], (g: GraphClients) => new GraphMailboxProfileReader(g)),
      factory(
        FreeBusyGateway,
        [GraphClients, CalendarVersions, Clock, ChangeNotificationCoverage],
        (g: GraphClients, v: CalendarVersions, k: Clock, c: ChangeNotificationCoverage) =>
          new CachedFreeBusyGateway(
            new GraphFreeBusyGateway(g, { schedulesPerCall: options.schedulesPerCall }),
            v,
            k,
            {
              ttlMs: options.freeBusyTtlMs,
              coverage: c,
              shortTtlMs: options.freeBusyShortTtlMs,
            },
          ),
      ),
      factory(
        StartMicrosoftConnection,
        [
          WorkspaceRepository,
          MemberRepository,
          AuthorizationStateRepository,
          IdentityProvider,
          Secrets,
          Clock,
        ],
        (
          w: WorkspaceRepository,
          m: MemberRepository,
          s: AuthorizationStateRepository,
          i: IdentityProvider,
          x: Secrets,
          k: Clock,
        ) => new StartMicrosoftConnection(w, m, s, i, x, k),
      ),
      factory(
        CompleteMicrosoftConnection,
        [
          AuthorizationStateRepository,
          WorkspaceRepository,
          MemberRepository,
          MicrosoftConnectionRepository,
          TenantConsentRepository,
          IdentityProvider,
          MailboxProfileReader,
          ConnectionListener,
          Clock,
          UnitOfWork,
          AuditTrail,
          ConsentLinks,
        ],
        (
          s: AuthorizationStateRepository,
          w: WorkspaceRepository,
          m: MemberRepository,
          c: MicrosoftConnectionRepository,
          t: TenantConsentRepository,
          i: IdentityProvider,
          p: MailboxProfileReader,
          l: ConnectionListener,
          k: Clock,
          u: UnitOfWork,
          a: AuditTrail,
          x: ConsentLinks,
        ) => new CompleteMicrosoftConnection(s, w, m, c, t, i, p, l, k, u, a, x),
      ),
      factory(
        GetMicrosoftConnection,
        [MemberRepository, MicrosoftConnectionRepository, ConnectionViews],
        (m: MemberRepository, c: MicrosoftConnectionRepository, v: ConnectionViews) =>
          new GetMicrosoftConnection(m, c, v),
      ),
      factory(
        DisconnectMicrosoft,
        [
          MemberRepository,
          MicrosoftConnectionRepository,
          IdentityProvider,
          ConnectionListener,
          Clock,
          UnitOfWork,
          AuditTrail,
        ],
        (
          m: MemberRepository,
          c: MicrosoftConnectionRepository,
          i: IdentityProvider,
          l: ConnectionListener,
          k: Clock,
          u: UnitOfWork,
          a: AuditTrail,
        ) => new DisconnectMicrosoft(m, c, i, l, k, u, a),
      ),
      factory(
        FollowReconnectLink,
        [ConsentLinks, MemberRepository, MicrosoftConnectionRepository, StartMicrosoftConnection, Clock],
        (
          l: ConsentLinks,
          m: MemberRepository,
          c: MicrosoftConnectionRepository,
          s: StartMicrosoftConnection,
          k: Clock,
        ) => new FollowReconnectLink(l, m, c, s, k),
      ),
      factory(
        GetTenantStatus,
        [
          WorkspaceRepository,
          TenantConsentRepository,
          MicrosoftConnectionRepository,
          MemberRepository,
          ConsentLinks,
          Clock,
        ],
        (
          w: WorkspaceRepository,
          t: TenantConsentRepository,
          c: MicrosoftConnectionRepository,
          m: MemberRepository,
          l: ConsentLinks,
          k: Clock,
        ) => new GetTenantStatus(w, t, c, m, l, k),
      ),
      factory(
        StartAdminConsent,
        [WorkspaceRepository, AuthorizationStateRepository, IdentityProvider, Secrets, Clock, ConsentLinks],
        (
          w: WorkspaceRepository,
          s: AuthorizationStateRepository,
          i: IdentityProvider,
          x: Secrets,
          k: Clock,
          l: ConsentLinks,
        ) => new StartAdminConsent(w, s, i, x, k, l),
      ),
      factory(
        FollowAdminConsentLink,
        [ConsentLinks, StartAdminConsent, Clock],
        (l: ConsentLinks, s: StartAdminConsent, k: Clock) => new FollowAdminConsentLink(l, s, k),
      ),
      factory(
        CompleteAdminConsent,
        [
          AuthorizationStateRepository,
          WorkspaceRepository,
          TenantConsentRepository,
          IdentityProvider,
          Secrets,
          Clock,
          UnitOfWork,
          AuditTrail,
          ConsentLinks,
        ],
        (
          s: AuthorizationStateRepository,
          w: WorkspaceRepository,
          t: TenantConsentRepository,
          i: IdentityProvider,
          x: Secrets,
          k: Clock,
          u: UnitOfWork,
          a: AuditTrail,
          l: ConsentLinks,
        ) => new CompleteAdminConsent(s, w, t, i, x, k, u, a, l),
      ),
    ];
    return {
      module: MicrosoftModule,
      controllers: [MicrosoftConnectionController, OAuthController, TenantController, PermissionsController],
      providers,
      exports: [
        FreeBusyGateway,
        ConnectionViews,
        StartMicrosoftConnection,
        MicrosoftTokenProvider,
        GraphClients,
        RecordMicrosoftFailure,
        IdentityProvider,
        TokenVault,
        ConnectionListener,
        ConsentLinks,
        CalendarSubscriptionRepository,
        ChangeNotificationCoverage,
        CalendarChangeFeed,
        ClientStates,
        WatchCalendar,
      ],
    };
  }
}
