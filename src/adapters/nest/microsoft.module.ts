// Microsoft 365: Entra ID through MSAL, Graph through the official client (their token caches kept by the
// persistence wiring's TokenVault), and the sign-in, consent and revocation use cases with their endpoints.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { Secrets } from '@application/ports/secrets.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { IdentityProvider } from '@application/ports/identity-provider.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { MailboxProfileReader } from '@application/ports/mailbox-profile.reader.js';
import { ConsentLinks } from '@application/ports/consent-links.js';
import { ConnectionListener } from '@application/ports/connection.listener.js';
import { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import { ChangeNotificationCoverage } from '@application/ports/change-notification-coverage.js';
import { CalendarChangeFeed } from '@application/ports/calendar-change-feed.js';
import { ClientStates } from '@application/ports/client-states.js';
import { WatchCalendar } from '@application/notification/watch-calendar.use-case.js';
import { DomainEventOutbox } from '@application/ports/domain-event.outbox.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { MemberRepository } from '@application/ports/member.repository.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { MemberAccessReadModel } from '@application/ports/member-access.read-model.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { CompleteMicrosoftConnection } from '@application/connection/complete-microsoft-connection.use-case.js';
import { GetMicrosoftConnection } from '@application/connection/get-microsoft-connection.use-case.js';
import { DisconnectMicrosoft } from '@application/connection/disconnect-microsoft.use-case.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { GetTenantStatus } from '@application/consent/get-tenant-status.use-case.js';
import { FollowAdminConsentLink } from '@application/consent/follow-admin-consent-link.use-case.js';
import { StartAdminConsent } from '@application/consent/start-admin-consent.use-case.js';
import { CompleteAdminConsent } from '@application/consent/complete-admin-consent.use-case.js';
import type { MicrosoftSettings } from '../microsoft/microsoft-settings.js';
import { MsalClients, MsalIdentityProvider, MsalTokenProvider } from '../microsoft/entra/msal-entra.js';
import { TokenVault } from '../microsoft/entra/token-vault.js';
import { GraphCalendarWriter } from '../microsoft/graph/graph-calendar.writer.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { GraphClients } from '../microsoft/graph/graph-clients.js';
import { GraphMailboxProfileReader } from '../microsoft/graph/graph-mailbox-profile.reader.js';
import { GraphFreeBusyGateway } from '../microsoft/graph/graph-free-busy.gateway.js';
import { CachedFreeBusyGateway } from '../cache/cached-free-busy.gateway.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { FreeBusyGateway } from '@application/ports/free-busy.gateway.js';
import { HmacConsentLinks } from '../microsoft/hmac-consent-links.js';
import { GraphChangeFeed } from '../microsoft/graph/graph-change-feed.js';
import { NodeClientStates } from '../system/node-client-states.js';
import { MicrosoftTelemetry } from '../microsoft/microsoft-telemetry.js';
import { Metrics } from '../observability/metrics.js';
import { MicrosoftConnectionController } from '../http/controllers/microsoft-connection.controller.js';
import { OAuthController } from '../http/controllers/oauth.controller.js';
import { PermissionsController } from '../http/controllers/permissions.controller.js';
import { TenantController } from '../http/controllers/tenant.controller.js';
import { bind, compose, construct, given } from './provide.js';

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

@Global()
@Module({})
export class MicrosoftModule {
  static forRoot(options: MicrosoftModuleOptions): DynamicModule {
    const { settings } = options;
    const providers = [
      construct(MicrosoftTelemetry, [Metrics, OperationalLog]),
      construct(MsalClients, [given(settings), MicrosoftTelemetry]),
      bind(ConsentLinks, HmacConsentLinks, [given(settings.publicUrl), given(options.tokenEncryptionKeys)]),
      // Graph change notifications: one subscription per connected member, made on connect.
      bind(ClientStates, NodeClientStates, []),
      bind(CalendarChangeFeed, GraphChangeFeed, [
        GraphClients,
        given(settings.publicUrl),
        given(settings.graphUrl),
      ]),
      construct(WatchCalendar, [
        CalendarSubscriptionRepository,
        CalendarChangeFeed,
        ClientStates,
        Clock,
        OperationalLog,
        RecordMicrosoftFailure,
      ]),
      { provide: ConnectionListener, useExisting: WatchCalendar },
      bind(IdentityProvider, MsalIdentityProvider, [MsalClients, TokenVault]),
      construct(ConnectionViews, [
        MicrosoftConnectionRepository,
        WorkspaceRepository,
        ConsentLinks,
        Clock,
        ChangeNotificationCoverage,
      ]),
      construct(RecordMicrosoftFailure, [
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
      ]),
      bind(MicrosoftTokenProvider, MsalTokenProvider, [
        MsalClients,
        TokenVault,
        MemberAccessReadModel,
        MicrosoftTelemetry,
      ]),
      construct(GraphClients, [given(settings), MicrosoftTokenProvider, given({}), MicrosoftTelemetry]),
      bind(MailboxProfileReader, GraphMailboxProfileReader, [GraphClients]),
      bind(CalendarWriter, GraphCalendarWriter, [GraphClients]),
      construct(GraphFreeBusyGateway, [GraphClients, given({ schedulesPerCall: options.schedulesPerCall })]),
      compose(
        FreeBusyGateway,
        [GraphFreeBusyGateway, CalendarVersions, Clock, ChangeNotificationCoverage],
        (graph, versions, clock, coverage) =>
          new CachedFreeBusyGateway(graph, versions, clock, {
            ttlMs: options.freeBusyTtlMs,
            coverage,
            shortTtlMs: options.freeBusyShortTtlMs,
          }),
      ),
      construct(StartMicrosoftConnection, [
        WorkspaceRepository,
        MemberRepository,
        AuthorizationStateRepository,
        IdentityProvider,
        Secrets,
        Clock,
      ]),
      construct(CompleteMicrosoftConnection, [
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
      ]),
      construct(GetMicrosoftConnection, [MemberRepository, MicrosoftConnectionRepository, ConnectionViews]),
      construct(DisconnectMicrosoft, [
        MemberRepository,
        MicrosoftConnectionRepository,
        IdentityProvider,
        ConnectionListener,
        Clock,
        UnitOfWork,
        AuditTrail,
      ]),
      construct(FollowReconnectLink, [
        ConsentLinks,
        MemberRepository,
        MicrosoftConnectionRepository,
        StartMicrosoftConnection,
        Clock,
      ]),
      construct(GetTenantStatus, [
        WorkspaceRepository,
        TenantConsentRepository,
        MicrosoftConnectionRepository,
        MemberRepository,
        ConsentLinks,
        Clock,
      ]),
      construct(StartAdminConsent, [
        WorkspaceRepository,
        AuthorizationStateRepository,
        IdentityProvider,
        Secrets,
        Clock,
        ConsentLinks,
      ]),
      construct(FollowAdminConsentLink, [ConsentLinks, StartAdminConsent, Clock]),
      construct(CompleteAdminConsent, [
        AuthorizationStateRepository,
        WorkspaceRepository,
        TenantConsentRepository,
        IdentityProvider,
        Secrets,
        Clock,
        UnitOfWork,
        AuditTrail,
        ConsentLinks,
      ]),
    ];
    return {
      module: MicrosoftModule,
      controllers: [MicrosoftConnectionController, OAuthController, TenantController, PermissionsController],
      providers,
      // Ports, and the use cases other modules' controllers and workers call; the Graph and MSAL clients
      // behind them stay inside.
      exports: [
        FreeBusyGateway,
        CalendarWriter,
        CalendarChangeFeed,
        ClientStates,
        ConnectionListener,
        ConnectionViews,
        ConsentLinks,
        StartMicrosoftConnection,
        WatchCalendar,
        RecordMicrosoftFailure,
      ],
    };
  }
}
