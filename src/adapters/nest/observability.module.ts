// What operators see: the operational log (warn/error lines with ids, through nestjs-pino), the Prometheus
// metrics of this application instance and GET /metrics.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { PinoLogger } from 'nestjs-pino';
import { OperationalLog } from '@application/ports/operational-log.js';
import { Metrics } from '../observability/metrics.js';
import { PinoOperationalLog } from '../observability/pino-operational-log.js';
import { QueueStatsReader } from '../persistence/queue-stats.js';
import { MetricsController, MetricsCredential } from '../http/controllers/metrics.controller.js';
import { bind, compose, construct } from './provide.js';

@Global()
@Module({})
export class ObservabilityModule {
  /** `metricsToken`: METRICS_TOKEN, or null to leave /metrics open like /health. */
  static forRoot(options: { metricsToken: string | null }): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        { provide: MetricsCredential, useValue: new MetricsCredential(options.metricsToken) },
        construct(QueueStatsReader, [MikroORM]),
        compose(Metrics, [QueueStatsReader], (queues) => {
          const metrics = new Metrics();
          metrics.watchQueues(() => queues.read());
          return metrics;
        }),
        bind(OperationalLog, PinoOperationalLog, [PinoLogger]),
      ],
      exports: [Metrics, OperationalLog],
    };
  }
}
