// Liveness and readiness for load balancers, orchestrators and people: `/health` (the contract's, database
// up or down, and where the encryption keys stand), `/health/live` (the process answers) and `/health/ready`
// (it can serve: the database answers and carries every migration of this build).
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth.js';
import { problemOf, type Problem } from '../problem-details.filter.js';
import { DatabaseHealth } from '../../persistence/database-health.js';
import { SealedRecordCensus, type EncryptionCensus } from '../../persistence/sealed-records.js';

const EXAMPLE_ENCRYPTION: EncryptionCensus = {
  keys: ['4b1d0c2a9e8f7a61', '0f3e2d1c4b5a6978'],
  recordsUnderOlderKeys: 0,
  recordsUnderMissingKeys: 0,
  missingKeys: [],
};

@ApiTags('public')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly census: SealedRecordCensus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Health: whether the service and its database answer' })
  @ApiOkResponse({
    description:
      '`encryption`: the TOKEN_ENCRYPTION_KEY key ids (newest first) and how many sealed records are under ' +
      'an older key (`npm run keys:rotate` re-seals them) or under a key that is not configured (unreadable).',
    schema: { example: { status: 'ok', database: 'up', encryption: EXAMPLE_ENCRYPTION } },
  })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'error', database: 'down' } } })
  async health(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; database: string; encryption?: EncryptionCensus }> {
    // One statement: the census answering is the proof that the database is up (no `select 1` before it).
    const encryption = await this.database.answer(() => this.census.take());
    if (encryption === null) {
      void reply.status(503);
      return { status: 'error', database: 'down' };
    }
    // Records under a missing key are a configuration problem to fix, not a reason to take the instance
    // out of rotation: it still serves everything else.
    return { status: 'ok', database: 'up', encryption };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description: 'Always 200 while the process serves HTTP; restart the process when it stops answering.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers and carries every migration of this build',
    description: 'Send traffic only while this answers 200; 503 with a problem document says why not.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ready', database: 'up', migrations: 'applied' } } })
  @ApiServiceUnavailableResponse({
    description: 'NOT_READY: the database does not answer, or migrations are not applied yet.',
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        example: problemOf(503, 'NOT_READY', 'Migrations not applied yet: 0015-example.'),
      },
    },
  })
  async ready(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; database: string; migrations: string } | Problem> {
    const pending = (await this.database.isUp()) ? await this.database.pendingMigrations() : null;
    if (pending && pending.length === 0) return { status: 'ready', database: 'up', migrations: 'applied' };
    const detail = pending
      ? `Migrations not applied yet: ${pending.join(', ')}.`
      : 'The database does not answer.';
    void reply.status(503).header('content-type', 'application/problem+json; charset=utf-8');
    return { ...problemOf(503, 'NOT_READY', detail), instance: request.url.split('?')[0] };
  }
}
