// Clock, identifiers and secrets: the system ports every use case may need.
import { Global, Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { Secrets } from '@application/ports/secrets.js';
import { SystemClock } from '../system/system-clock.js';
import { UuidIdGenerator } from '../system/uuid-id-generator.js';
import { NodeCryptoSecrets } from '../system/node-crypto-secrets.js';

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: UuidIdGenerator },
    { provide: Secrets, useClass: NodeCryptoSecrets },
  ],
  exports: [Clock, IdGenerator, Secrets],
})
export class SystemModule {}
