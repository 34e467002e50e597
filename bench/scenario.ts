// Slot scenario files (slots-scenario.md) → the engine's SlotQuery, and timing helpers shared by
// `npm run slots` and `npm run bench`.
import { readFileSync } from 'node:fs';
import type { BusyStatus, SlotQuery, WallInterval, Weekday } from '@domain/availability/slot-engine.js';
import { parseWallTime } from '@domain/availability/zoned-time.js';

export interface ScenarioFile {
  name: string;
  now: string;
  range: { start: string; end: string };
  timeZone?: string;
  assignment?: 'single' | 'round_robin';
  event: {
    durationMinutes: number;
    slotIntervalMinutes?: number;
    bufferBeforeMinutes?: number;
    bufferAfterMinutes?: number;
    minimumNoticeMinutes?: number;
    maxDaysAhead?: number;
  };
  hosts: {
    id: string;
    timeZone: string;
    weekly: Partial<Record<Weekday, [string, string][]>>;
    overrides?: { date: string; intervals: [string, string][] }[];
    busy: { start: string; end: string; status?: string; calendar?: string }[];
  }[];
}

export function readScenario(path: string): ScenarioFile {
  return JSON.parse(readFileSync(path, 'utf8')) as ScenarioFile;
}

const wall = (intervals: [string, string][]): WallInterval[] =>
  intervals.map(([start, end]) => [parseWallTime(start), parseWallTime(end)] as const);

/** The engine's input; ISO strings become epoch ms here, outside the timed part. */
export function toSlotQuery(scenario: ScenarioFile): SlotQuery {
  return {
    now: Date.parse(scenario.now),
    range: { start: Date.parse(scenario.range.start), end: Date.parse(scenario.range.end) },
    event: scenario.event,
    hosts: scenario.hosts.map((host) => ({
      hostId: host.id,
      timeZone: host.timeZone,
      weekly: Object.fromEntries(
        Object.entries(host.weekly).map(([day, intervals]) => [day, wall(intervals)]),
      ),
      overrides: new Map((host.overrides ?? []).map((o) => [o.date, wall(o.intervals)])),
      busy: host.busy.map((b) => ({
        start: Date.parse(b.start),
        end: Date.parse(b.end),
        status: b.status as BusyStatus | undefined,
        calendar: b.calendar,
      })),
    })),
  };
}

/** `copies` × the scenario's hosts under new ids, busy times and all: a bigger pool. */
export function replicateHosts(scenario: ScenarioFile, copies: number, name: string): ScenarioFile {
  const hosts = [];
  for (let c = 0; c < copies; c++) {
    for (const host of scenario.hosts) hosts.push({ ...host, id: `${host.id}-r${c + 1}` });
  }
  return { ...scenario, name, assignment: 'round_robin', hosts };
}

export interface Timing {
  medianMs: number;
  p90Ms: number;
  runs: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; median and p90 in ms. */
export function time(fn: () => unknown, runs: number, warmup: number): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { medianMs: median(samples), p90Ms: at(0.9), runs };
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
