// The Microsoft 365 emulator in a worker thread of a benchmark (startBench's `emulator: 'thread'`), so that its
// Graph routes, its side of TLS and its change notifications do not take the app's thread: Microsoft's CPU is
// not the service's. Started with the emulator's options as workerData; says `ready` with its URL and CA,
// then runs the control calls bench/emulator-handle.ts sends and answers each with its value or its error.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmulator, type EmulatorOptions } from '../emulator/index.js';
import { invoke, type ThreadError, type ThreadMessage, type ThreadRequest } from './emulator-handle.js';

const port = parentPort!;
const emu = await startEmulator(workerData as EmulatorOptions);

const answer = (message: ThreadMessage) => {
  try {
    port.postMessage(message);
  } catch (e) {
    // An answer that cannot be cloned (a function, a socket…) is the caller's error, not the thread's end.
    if (message.kind === 'answer')
      port.postMessage({ kind: 'answer', id: message.id, ok: false, error: toThread(e) });
    else throw e;
  }
};

port.on('message', async (request: ThreadRequest) => {
  try {
    const value =
      request.kind === 'close' ? await emu.close() : await invoke(emu.control, request.method, request.args);
    answer({ kind: 'answer', id: request.id, ok: true, value });
  } catch (e) {
    answer({ kind: 'answer', id: request.id, ok: false, error: toThread(e) });
  }
});
answer({ kind: 'ready', url: emu.url, caPem: emu.caPem });

function toThread(thrown: unknown): ThreadError {
  return thrown instanceof Error
    ? { name: thrown.name, message: thrown.message, stack: thrown.stack }
    : { name: 'Error', message: String(thrown) };
}
