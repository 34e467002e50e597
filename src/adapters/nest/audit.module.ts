// The audit trail over HTTP. Its port (AuditTrail) comes from the persistence wiring, where the use cases
// that record events find it too.
import { Module } from '@nestjs/common';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { ListAuditEvents } from '@application/audit/list-audit-events.use-case.js';
import { AuditEventsController } from '../http/controllers/audit-events.controller.js';
import { construct } from './provide.js';

@Module({
  controllers: [AuditEventsController],
  providers: [construct(ListAuditEvents, [AuditTrail])],
})
export class AuditModule {}
