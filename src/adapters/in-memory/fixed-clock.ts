// A clock tests set and advance by hand.
import { Clock } from '@application/ports/clock.js';

export class FixedClock extends Clock {
  private current: Date;

  constructor(start: Date | string = '2026-12-01T08:00:00Z') {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
