// `npm run slots -- FILE`: runs the slot engine on a scenario file and prints
// { slots: [{ start, end, hostIds }], ms } as JSON, ms being the engine's median over warm runs.
import { resolve } from 'node:path';
import { computeSlots, type SlotQuery } from '@domain/availability/slot-engine.js';
import { readScenario, time, toSlotQuery } from './scenario.js';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: npm run slots -- <scenario.json>\n');
  process.exit(2);
}
// npm runs scripts from the package root; read relative paths from where npm was called.
const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
let query: SlotQuery;
try {
  query = toSlotQuery(readScenario(path));
} catch (error) {
  process.stderr.write(`cannot read scenario ${path}: ${(error as Error).message}\n`);
  process.exit(1);
}
const slots = computeSlots(query);
const { medianMs } = time(() => computeSlots(query), 15, 5);
const out = {
  slots: slots.map((s) => ({
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
    hostIds: s.hostIds,
  })),
  ms: Number(medianMs.toFixed(3)),
};
process.stdout.write(JSON.stringify(out) + '\n');
