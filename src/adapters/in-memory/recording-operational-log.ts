// An operational log for tests: keeps every line, with the fields of the `within` scopes it was written in.
import { AsyncLocalStorage } from 'node:async_hooks';
import { OperationalLog, type OperationalFields } from '@application/ports/operational-log.js';

export interface RecordedLine {
  level: 'warn' | 'error';
  event: string;
  message: string;
  fields: OperationalFields;
}

export class RecordingOperationalLog extends OperationalLog {
  readonly lines: RecordedLine[] = [];
  private readonly scope = new AsyncLocalStorage<OperationalFields>();

  warn(event: string, message: string, fields: OperationalFields = {}): void {
    this.lines.push({ level: 'warn', event, message, fields: { ...this.scope.getStore(), ...fields } });
  }

  error(event: string, message: string, fields: OperationalFields = {}): void {
    this.lines.push({ level: 'error', event, message, fields: { ...this.scope.getStore(), ...fields } });
  }

  within<T>(fields: OperationalFields, work: () => Promise<T>): Promise<T> {
    return this.scope.run({ ...this.scope.getStore(), ...fields }, work);
  }

  /** The lines of one event. */
  of(event: string): RecordedLine[] {
    return this.lines.filter((line) => line.event === event);
  }
}
