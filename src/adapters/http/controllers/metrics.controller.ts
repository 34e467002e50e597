// GET /metrics in Prometheus's text format, for a scraper rather than for product teams: left out of the
// OpenAPI document. Open like /health unless METRICS_TOKEN is set; then the scraper sends it as a bearer.
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@domain/shared/domain-error.js';
import { Public } from '../auth.js';
import { Metrics } from '../../observability/metrics.js';

/** METRICS_TOKEN, or null when /metrics is open. */
export class MetricsCredential {
  constructor(readonly token: string | null) {}
}

const digest = (value: string) => createHash('sha256').update(value).digest();

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly credential: MetricsCredential,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const expected = this.credential.token;
    if (expected) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(given), digest(expected)))
        throw new DomainError(
          'UNAUTHENTICATED',
          'METRICS_TOKEN is required: Authorization: Bearer <METRICS_TOKEN>.',
        );
    }
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.text();
  }
}
