// Outbound webhooks: endpoints and their delivery log over HTTP, the dispatcher and sender jobs, and their
// fetch sender (their repositories come from the persistence wiring). The jobs' timers follow the injectable
// WebhookJobsOptions (on by default); tests set `enabled = false` on it before `app.init()` and call
// `WebhookJobs.runOnce()`.
import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { Secrets } from '@application/ports/secrets.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { OperationalLog } from '@application/ports/operational-log.js';
import { DomainEventFeed } from '@application/ports/domain-event.feed.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { WebhookEndpointRepository } from '@application/ports/webhook-endpoint.repository.js';
import { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import { WebhookSender } from '@application/ports/webhook.sender.js';
import { CreateWebhookEndpoint } from '@application/webhook/create-webhook-endpoint.use-case.js';
import { GetWebhookEndpoint } from '@application/webhook/get-webhook-endpoint.use-case.js';
import { ListWebhookEndpoints } from '@application/webhook/list-webhook-endpoints.use-case.js';
import { DeleteWebhookEndpoint } from '@application/webhook/delete-webhook-endpoint.use-case.js';
import { ListWebhookDeliveries } from '@application/webhook/list-webhook-deliveries.use-case.js';
import { DispatchWebhookEvents } from '@application/webhook/dispatch-webhook-events.use-case.js';
import { SendDueWebhooks } from '@application/webhook/send-due-webhooks.use-case.js';
import { FetchWebhookSender } from '../webhooks/fetch-webhook.sender.js';
import { WorkspaceReadCache } from '../persistence/workspace-read-cache.js';
import { WebhookJobs, WebhookJobsOptions } from '../jobs/webhook-jobs.js';
import { Metrics } from '../observability/metrics.js';
import { WebhookEndpointsController } from '../http/controllers/webhook-endpoints.controller.js';
import { bind, construct, given } from './provide.js';

export interface WebhooksModuleOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: checked at registration (IP literals) and at each delivery (resolved). */
  allowPrivateNetworks: boolean;
}

@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksModuleOptions): DynamicModule {
    const targets = { allowPrivateNetworks: options.allowPrivateNetworks };
    const providers = [
      construct(WebhookJobsOptions, []),
      bind(WebhookSender, FetchWebhookSender, [given(targets), WorkspaceReadCache]),
      construct(CreateWebhookEndpoint, [
        WebhookEndpointRepository,
        Secrets,
        IdGenerator,
        Clock,
        given(targets),
        UnitOfWork,
        AuditTrail,
      ]),
      construct(GetWebhookEndpoint, [WebhookEndpointRepository]),
      construct(ListWebhookEndpoints, [WebhookEndpointRepository]),
      construct(DeleteWebhookEndpoint, [WebhookEndpointRepository, Clock, UnitOfWork, AuditTrail]),
      construct(ListWebhookDeliveries, [WebhookEndpointRepository, WebhookDeliveryRepository]),
      construct(DispatchWebhookEvents, [
        DomainEventFeed,
        WebhookEndpointRepository,
        WebhookDeliveryRepository,
        IdGenerator,
        Clock,
        UnitOfWork,
      ]),
      construct(SendDueWebhooks, [
        WebhookDeliveryRepository,
        WebhookEndpointRepository,
        WebhookSender,
        Clock,
        OperationalLog,
      ]),
      construct(WebhookJobs, [
        DispatchWebhookEvents,
        SendDueWebhooks,
        WebhookJobsOptions,
        SchedulerRegistry,
        Metrics,
      ]),
    ];
    return {
      module: WebhooksModule,
      imports: [ScheduleModule.forRoot()],
      controllers: [WebhookEndpointsController],
      providers,
      exports: [WebhookJobs, WebhookJobsOptions],
    };
  }
}
