// `npm run bench:slow-clients`: how long slow clients hold connections (the security issue measured 50
// connections sending one byte every 5 s, all still open after 150 s). 50 connections trickle their
// headers and 50 more send headers then trickle a body, one byte every 5 s each, against the real
// application with the default HTTP_HEADERS_TIMEOUT_MS (10 s) and HTTP_REQUEST_TIMEOUT_MS (30 s); reports
// when the service cut them (p50, max) and what it answered. Gives up on any connection at 150 s.
// Written to the slow-clients section of BENCHMARKS.md.
import { connect, type Socket } from 'node:net';
import { command, fmtMs, machine, percentile, startBench, writeSection } from './support.js';

const CONNECTIONS = 50;
const TRICKLE_MS = 5_000;
const GIVE_UP_MS = 150_000;

interface Outcome {
  closedAfterMs: number | null;
  status: string | null;
}

function slowClient(url: URL, mode: 'headers' | 'body'): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(Number(url.port), url.hostname);
    const head =
      mode === 'headers'
        ? `GET /health HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: `
        : `POST /v1/bookings HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const finish = (closedAfterMs: number | null) => {
      clearInterval(timer);
      socket.destroy();
      resolve({ closedAfterMs, status: /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? null });
    };
    socket.on('connect', () => {
      // The headers trickle from the first byte; the body trickles once the headers are in.
      socket.write(mode === 'headers' ? head.slice(0, 1) : head);
      let sent = mode === 'headers' ? 1 : 0;
      timer = setInterval(() => {
        if (!socket.writable) return;
        socket.write(mode === 'headers' ? (head[sent] ?? 'x') : '{');
        sent++;
      }, TRICKLE_MS);
    });
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => finish(Date.now() - started));
    socket.on('error', () => undefined);
    setTimeout(() => finish(null), GIVE_UP_MS).unref();
  });
}

const m = machine();
const b = await startBench({ jobs: false, weeks: 1 });
try {
  const url = new URL(b.baseUrl);
  process.stdout.write(`database: ${b.database}; ${CONNECTIONS} + ${CONNECTIONS} slow connections\n`);
  const [headers, bodies] = await Promise.all([
    Promise.all(Array.from({ length: CONNECTIONS }, () => slowClient(url, 'headers'))),
    Promise.all(Array.from({ length: CONNECTIONS }, () => slowClient(url, 'body'))),
  ]);
  const describe = (name: string, outcomes: Outcome[]) => {
    const cut = outcomes.map((o) => o.closedAfterMs).filter((ms): ms is number => ms !== null);
    cut.sort((x, y) => x - y);
    const statuses = [...new Set(outcomes.map((o) => o.status ?? 'none'))].join(', ');
    const open = outcomes.length - cut.length;
    return `| ${name} | ${cut.length}/${outcomes.length} | ${cut.length ? fmtMs(percentile(cut, 50)) : '–'} | ${cut.length ? fmtMs(cut.at(-1)!) : '–'} | ${statuses} | ${open} |`;
  };
  const lines = [
    `Command: \`${command('bench:slow-clients')}\` — ${m.date}, ${m.cpu}, ${m.nproc} cores, Node ${m.node}, ${b.database}.`,
    '',
    `${CONNECTIONS} connections per row, one byte every ${TRICKLE_MS / 1000} s; defaults HTTP_HEADERS_TIMEOUT_MS=10000, HTTP_REQUEST_TIMEOUT_MS=30000. Before the timeouts (issue 11): every connection still open after 150 s.`,
    '',
    '| slow part | cut by the service | p50 cut after | max | answer | still open at 150 s |',
    '| --- | --- | --- | --- | --- | --- |',
    describe('headers (GET /health)', headers),
    describe('body (POST /v1/bookings, Content-Length 1000)', bodies),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeSection('slow-clients', lines);
} finally {
  await b.close();
}
