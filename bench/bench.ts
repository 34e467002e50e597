// `npm run bench`: median and p90 of the slot engine on scenarios A and B, on generated 300- and 1,000-host
// pools, and on a collective team of 10 hosts (every host needed), written to the slots section of
// BENCHMARKS.md (other sections are kept).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { computeSlots, type HostsNeeded } from '@domain/availability/slot-engine.js';
import { readScenario, replicateHosts, time, toSlotQuery, type ScenarioFile } from './scenario.js';

const FIXTURES = 'test/fixtures/slots-scenarios';
const START = '<!-- slots:start -->';
const END = '<!-- slots:end -->';

interface Case {
  label: string;
  scenario: ScenarioFile;
  targetMs?: number;
  calcomMs?: number;
  /** 'all': a collective event type (default: any host, round robin). */
  hostsNeeded?: HostsNeeded;
}

const a = readScenario(`${FIXTURES}/A.json`);
const b = readScenario(`${FIXTURES}/B.json`);
const cases: Case[] = [
  { label: 'A: 1 host, 30 days, 200 busy', scenario: a, targetMs: 0.5, calcomMs: 7.4 },
  { label: 'B: 100-host pool, 50 busy each', scenario: b, targetMs: 15, calcomMs: 325 },
  { label: 'B × 3: 300-host pool', scenario: replicateHosts(b, 3, 'B-x3') },
  {
    label: 'B × 10: 1,000-host pool',
    scenario: replicateHosts(b, 10, 'B-x10'),
    targetMs: 150,
    calcomMs: 3058,
  },
  {
    // B's first 10 hosts as one team: each host's starts are computed and narrowed host by host (a host who
    // leaves nothing ends the work early, so the team shares hours here to measure the whole of it).
    label: 'B, 10 hosts: collective (all needed)',
    scenario: {
      ...b,
      name: 'B-collective-10',
      // One set of hours and zone (the first host's) so that the team meets; each keeps its own busy time.
      hosts: b.hosts.slice(0, 10).map((h) => ({
        ...h,
        timeZone: b.hosts[0]!.timeZone,
        weekly: b.hosts[0]!.weekly,
        overrides: b.hosts[0]!.overrides,
      })),
    },
    hostsNeeded: 'all',
  },
];

const RUNS = 50;
const rows: string[] = [];
for (const c of cases) {
  const query = { ...toSlotQuery(c.scenario), hostsNeeded: c.hostsNeeded };
  const slots = computeSlots(query).length;
  const { medianMs, p90Ms } = time(() => computeSlots(query), RUNS, 10);
  const perHost = (medianMs / query.hosts.length) * 1000;
  const target =
    c.targetMs === undefined ? '–' : `≤ ${c.targetMs} ms ${medianMs <= c.targetMs ? '✅' : '❌'}`;
  const calcom = c.calcomMs === undefined ? '–' : `${c.calcomMs} ms`;
  rows.push(
    `| ${c.label} | ${query.hosts.length} | ${slots} | ${fmt(medianMs)} | ${fmt(p90Ms)} | ${perHost.toFixed(0)} µs | ${target} | ${calcom} |`,
  );
  process.stdout.write(`${c.label}: median ${fmt(medianMs)} ms, p90 ${fmt(p90Ms)} ms\n`);
}

const cpu = readCpuModel();
const section = [
  START,
  '## Slot engine',
  '',
  `\`npm run bench\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version},`,
  `${cpus().length} cores (${execSync('nproc').toString().trim()} by nproc), ${cpu}. Engine time only (scenario`,
  `parsing excluded), ${RUNS} timed runs after 10 warm-up runs each. Pools × 3 and × 10 are B's hosts`,
  "replicated under new ids; the collective team is B's first 10 hosts with the first one's hours and zone,",
  'each with its own busy time, a start offered only when all are free.',
  '',
  '| Scenario | Hosts | Slots | Median (ms) | p90 (ms) | Median per host | Target (median) | Cal.com |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ...rows,
  END,
].join('\n');

const file = 'BENCHMARKS.md';
const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
const from = current.indexOf(START);
const to = current.indexOf(END);
const next =
  from >= 0 && to > from
    ? current.slice(0, from) + section + current.slice(to + END.length)
    : `${current.trimEnd()}\n\n${section}\n`;
writeFileSync(file, next);
process.stdout.write(`wrote ${file}\n`);

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(3) : ms.toFixed(1);
}

function readCpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return cpus()[0]?.model ?? 'unknown CPU';
  }
}
