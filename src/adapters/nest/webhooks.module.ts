// Outbound webhooks: endpoints and their delivery log over HTTP, the dispatcher and sender jobs, and their
// adapters (PostgreSQL queue, fetch sender, AES-sealed secrets). The jobs' timers follow the injectable
// WebhookJobsOptions (on by default); tests set `enabled = false` on it before `app.init()` and call
// `WebhookJobs.runOnce()`.
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
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
import { SealedBox } from '../crypto/sealed-box.js';
import { MikroOrmWebhookEndpointRepository } from '../persistence/mikro-orm-webhook-endpoint.repository.js';
import { MikroOrmWebhookDeliveryRepository } from '../persistence/mikro-orm-webhook-delivery.repository.js';
import { MikroOrmDomainEventFeed } from '../persistence/mikro-orm-domain-event.feed.js';
import { FetchWebhookSender } from '../webhooks/fetch-webhook.sender.js';
import { WebhookJobs, WebhookJobsOptions } from '../webhooks/webhook-jobs.js';
import { Metrics } from '../observability/metrics.js';
import { WebhookEndpointsController } from '../http/controllers/webhook-endpoints.controller.js';

export interface WebhooksModuleOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: checked at registration (IP literals) and at each delivery (resolved). */
  allowPrivateNetworks: boolean;
}

/** `useFactory` with its dependencies named once. */
function factory<T>(
  provide: abstract new (...args: never[]) => T,
  inject: unknown[],
  make: (...deps: never[]) => T,
) {
  return { provide, useFactory: make, inject } as Provider;
}

@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: WebhookJobsOptions, useFactory: () => new WebhookJobsOptions() },
      factory(
        WebhookEndpointRepository,
        [EntityManager, SealedBox],
        (em: EntityManager, box: SealedBox) => new MikroOrmWebhookEndpointRepository(em, box),
      ),
      factory(
        WebhookDeliveryRepository,
        [EntityManager],
        (em: EntityManager) => new MikroOrmWebhookDeliveryRepository(em),
      ),
      factory(DomainEventFeed, [EntityManager], (em: EntityManager) => new MikroOrmDomainEventFeed(em)),
      {
        provide: WebhookSender,
        useFactory: () => new FetchWebhookSender({ allowPrivateNetworks: options.allowPrivateNetworks }),
      },
      factory(
        CreateWebhookEndpoint,
        [WebhookEndpointRepository, Secrets, IdGenerator, Clock, UnitOfWork, AuditTrail],
        (e: WebhookEndpointRepository, s: Secrets, i: IdGenerator, k: Clock, u: UnitOfWork, a: AuditTrail) =>
          new CreateWebhookEndpoint(e, s, i, k, { allowPrivateNetworks: options.allowPrivateNetworks }, u, a),
      ),
      factory(
        GetWebhookEndpoint,
        [WebhookEndpointRepository],
        (e: WebhookEndpointRepository) => new GetWebhookEndpoint(e),
      ),
      factory(
        ListWebhookEndpoints,
        [WebhookEndpointRepository],
        (e: WebhookEndpointRepository) => new ListWebhookEndpoints(e),
      ),
      factory(
        DeleteWebhookEndpoint,
        [WebhookEndpointRepository, Clock, UnitOfWork, AuditTrail],
        (e: WebhookEndpointRepository, k: Clock, u: UnitOfWork, a: AuditTrail) =>
          new DeleteWebhookEndpoint(e, k, u, a),
      ),
      factory(
        ListWebhookDeliveries,
        [WebhookEndpointRepository, WebhookDeliveryRepository],
        (e: WebhookEndpointRepository, d: WebhookDeliveryRepository) => new ListWebhookDeliveries(e, d),
      ),
      factory(
        DispatchWebhookEvents,
        [
          DomainEventFeed,
          WebhookEndpointRepository,
          WebhookDeliveryRepository,
          IdGenerator,
          Clock,
          UnitOfWork,
        ],
        (
          f: DomainEventFeed,
          e: WebhookEndpointRepository,
          d: WebhookDeliveryRepository,
          i: IdGenerator,
          k: Clock,
          u: UnitOfWork,
        ) => new DispatchWebhookEvents(f, e, d, i, k, u),
      ),
      factory(
        SendDueWebhooks,
        [WebhookDeliveryRepository, WebhookEndpointRepository, WebhookSender, Clock, OperationalLog],
        (
          d: WebhookDeliveryRepository,
          e: WebhookEndpointRepository,
          s: WebhookSender,
          k: Clock,
          l: OperationalLog,
        ) => new SendDueWebhooks(d, e, s, k, l),
      ),
      factory(
        WebhookJobs,
        [DispatchWebhookEvents, SendDueWebhooks, WebhookJobsOptions, SchedulerRegistry, Metrics],
        (
          d: DispatchWebhookEvents,
          s: SendDueWebhooks,
          o: WebhookJobsOptions,
          r: SchedulerRegistry,
          m: Metrics,
        ) => new WebhookJobs(d, s, o, r, m),
      ),
    ];
    return {
      module: WebhooksModule,
      imports: [ScheduleModule.forRoot()],
      controllers: [WebhookEndpointsController],
      providers,
      exports: [WebhookJobs, WebhookJobsOptions, WebhookEndpointRepository, WebhookDeliveryRepository],
    };
  }
}
