// Operational lines through nestjs-pino: inside an HTTP request they carry the request (its id) like every
// other line of it; `within` adds the booking, member or workspace ids for work that has no request (jobs).
import type { PinoLogger } from 'nestjs-pino';
import { OperationalLog, type OperationalFields } from '@application/ports/operational-log.js';

export class PinoOperationalLog extends OperationalLog {
  constructor(private readonly pino: PinoLogger) {
    super();
  }

  warn(event: string, message: string, fields: OperationalFields = {}): void {
    this.pino.warn({ event, ...fields }, message);
  }

  error(event: string, message: string, fields: OperationalFields = {}): void {
    this.pino.error({ event, ...fields }, message);
  }

  within<T>(fields: OperationalFields, work: () => Promise<T>): Promise<T> {
    // inherit: a request's own logger (and its id) stays the base of the lines written within.
    return this.pino.runInContext(work, { bindings: fields, inherit: true });
  }
}
