// Time comes through this port so that the core and its tests control it.
export abstract class Clock {
  abstract now(): Date;
}
