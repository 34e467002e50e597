// The wall clock.
import { Clock } from '@application/ports/clock.js';

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
