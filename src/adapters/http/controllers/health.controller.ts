// Liveness and database readiness for load balancers and people, and where the encryption keys stand.
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth.js';
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
    const up = await this.database.isUp();
    if (!up) {
      void reply.status(503);
      return { status: 'error', database: 'down' };
    }
    // Records under a missing key are a configuration problem to fix, not a reason to take the instance
    // out of rotation: it still serves everything else.
    return { status: 'ok', database: 'up', encryption: await this.census.take() };
  }
}
