// `npm run slots -- FILE`: runs the slot engine on a scenario file and prints
// { slots: [{ start, end, hostIds }], ms } as JSON, ms being the engine's median over warm runs.
import { computeSlots } from '@domain/availability/slot-engine.js';
import { readScenario, time, toSlotQuery } from './scenario.js';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: npm run slots -- <scenario.json>\n');
  process.exit(2);
}
const query = toSlotQuery(readScenario(file));
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
