// The bookings bench's client, run in a worker thread (as bench:http's load generator is) so that sending
// requests and reading answers does not share the app's event loop: `inFlight` loops over one undici Pool,
// each posting the next booking as soon as the previous one answered.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

export interface BookingLoad {
  origin: string;
  apiKey: string;
  inFlight: number;
  guest: { name: string; email: string; timeZone: string };
  targets: { eventTypeId: string; start: string }[];
}

export interface BookingAnswer {
  /** Index of the target in the order sent. */
  target: number;
  status: number;
  ms: number;
  body: { code?: string; calendar?: { syncStatus?: string } } | string;
}

const spec = workerData as BookingLoad;
const pool = new Pool(spec.origin, { connections: spec.inFlight, pipelining: 1, keepAliveTimeout: 30_000 });
const answers: BookingAnswer[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: spec.inFlight }, async () => {
    while (next < spec.targets.length) {
      const target = next++;
      const { eventTypeId, start } = spec.targets[target]!;
      const started = performance.now();
      const res = await pool.request({
        method: 'POST',
        path: '/v1/bookings',
        headers: { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventTypeId, start, guest: spec.guest }),
      });
      const text = await res.body.text();
      const ms = performance.now() - started;
      answers.push({
        target,
        status: res.statusCode,
        ms,
        body: text.startsWith('{') ? JSON.parse(text) : text,
      });
    }
  }),
);
await pool.close();
parentPort!.postMessage(answers);
