// The composition root: every adapter module, and the HTTP cross-cutting pieces (auth, validation,
// idempotency, problem+json errors, structured logs).
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '@config/env.schema.js';
import { SystemModule } from '@adapters/nest/system.module.js';
import { PersistenceModule } from '@adapters/nest/persistence.module.js';
import { WorkspaceModule } from '@adapters/nest/workspace.module.js';
import { MemberModule } from '@adapters/nest/member.module.js';
import { LoggingModule, type LogDestination } from '@adapters/nest/logging.module.js';
import { ObservabilityModule } from '@adapters/nest/observability.module.js';
import { MicrosoftModule } from '@adapters/nest/microsoft.module.js';
import { AvailabilityModule } from '@adapters/nest/availability.module.js';
import { WebhooksModule } from '@adapters/nest/webhooks.module.js';
import { BookingModule } from '@adapters/nest/booking.module.js';
import { ChangeNotificationsModule } from '@adapters/nest/change-notifications.module.js';
import { AuditModule } from '@adapters/nest/audit.module.js';
import { BookingLinksModule } from '@adapters/nest/booking-links.module.js';
import { WebModule } from '@adapters/nest/web.module.js';
import { McpModule } from '@adapters/nest/mcp.module.js';
import { AuthGuard } from '@adapters/http/auth.js';
import { RequestBodyGuard } from '@adapters/http/request-body.js';
import { OperatorCredential } from '@adapters/http/operator-credential.js';
import { ProblemDetailsFilter } from '@adapters/http/problem-details.filter.js';
import { createValidationPipe } from '@adapters/http/validation.js';
import { HealthController } from '@adapters/http/controllers/health.controller.js';
import { SandboxController } from '@adapters/sandbox/sandbox.controller.js';
import { SandboxWorkspace } from '@adapters/sandbox/sandbox-workspace.js';
import {
  SandboxPageSettings,
  SandboxStartPageController,
} from '@adapters/sandbox/sandbox-start-page.controller.js';
import { sandboxEmulatorFiles } from '@adapters/sandbox/sandbox-emulator.js';
import { SandboxOverview } from '@adapters/sandbox/sandbox-overview.js';
import { PageTokens } from '@adapters/sandbox/page-tokens.js';
import { StartPageController } from '@adapters/web/start-page.controller.js';

export interface AppOptions {
  config: AppConfig;
  orm: MikroORM;
  /** Where log lines go instead of stdout (tests read them back). */
  logDestination?: LogDestination;
}

@Module({})
export class AppModule {
  static forRoot({ config, orm, logDestination }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: config })] }),
        LoggingModule.forRoot(config, logDestination),
        ObservabilityModule.forRoot({ metricsToken: config.metricsToken ?? null }),
        SystemModule,
        PersistenceModule.forRoot(orm, config.tokenEncryptionKeys),
        MicrosoftModule.forRoot({
          settings: {
            clientId: config.microsoft.clientId ?? '',
            clientSecret: config.microsoft.clientSecret ?? '',
            authorityHost: config.microsoft.authorityHost,
            graphUrl: config.microsoft.graphUrl,
            publicUrl: config.publicUrl,
            extraCaPem: config.microsoft.extraCaPem,
          },
          tokenEncryptionKeys: config.tokenEncryptionKeys,
          schedulesPerCall: config.microsoft.schedulesPerCall,
        }),
        BookingLinksModule.forRoot({ publicUrl: config.publicUrl }),
        WorkspaceModule,
        MemberModule,
        AvailabilityModule,
        BookingModule,
        ChangeNotificationsModule,
        WebModule,
        McpModule,
        WebhooksModule.forRoot({
          allowPrivateNetworks: config.webhookAllowPrivateNetworks,
        }),
        AuditModule,
      ],
      // `/` is the demo workspace in sandbox mode, and a page naming the service otherwise.
      controllers: config.sandbox
        ? [HealthController, SandboxController, SandboxStartPageController]
        : [HealthController, StartPageController],
      providers: [
        { provide: OperatorCredential, useValue: new OperatorCredential(config.operatorToken) },
        SandboxWorkspace,
        ...(config.sandbox
          ? [
              SandboxOverview,
              { provide: PageTokens, useValue: new PageTokens() },
              {
                provide: SandboxPageSettings,
                useValue: new SandboxPageSettings(config.publicUrl, {
                  url: config.microsoft.authorityHost,
                  caFile: sandboxEmulatorFiles(config).caFile,
                }),
              },
            ]
          : []),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestBodyGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
