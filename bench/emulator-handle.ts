// The Microsoft 365 emulator as a benchmark drives it, wherever it runs: in a worker thread of its own
// (bench/emulator-thread.ts; Microsoft's CPU is not the service's) or in the app's thread. Either way its
// control answers Promises, so that a benchmark is written once against this handle.
import { Worker } from 'node:worker_threads';
import { EmulatorControl, startEmulator, type EmulatorOptions } from '../emulator/index.js';

/** Where the emulator runs: `thread`, a worker thread of its own; `inline`, the app's thread and event loop. */
export type EmulatorMode = 'thread' | 'inline';

/** The names of EmulatorControl's methods (not its caPem getter). */
export type ControlMethod = {
  [K in keyof EmulatorControl]: EmulatorControl[K] extends (...args: never[]) => unknown ? K : never;
}[keyof EmulatorControl];

/**
 * EmulatorControl with every method answering a Promise. Arguments and answers are structured clones in
 * both modes: an answer is a copy, never a live part of the emulator's state.
 */
export type AsyncControl = {
  [K in ControlMethod]: EmulatorControl[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export interface BenchEmulator {
  mode: EmulatorMode;
  /** https://127.0.0.1:<port>: the Entra authority host and the Graph host. */
  url: string;
  /** PEM of the CA that signed the emulator's certificate. */
  caPem: string;
  control: AsyncControl;
  /** Closes the emulator (after its notifications under way) and, in `thread` mode, ends its thread. */
  close(): Promise<void>;
}

// The messages between the two threads.

/** From the benchmark's thread to the emulator's. */
export type ThreadRequest =
  { kind: 'call'; id: number; method: ControlMethod; args: unknown[] } | { kind: 'close'; id: number };

/** An error thrown in the emulator's thread, as it crosses to the caller. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

/** From the emulator's thread to the benchmark's. */
export type ThreadMessage =
  | { kind: 'ready'; url: string; caPem: string }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; error: ThreadError };

export async function startBenchEmulator(
  mode: EmulatorMode,
  options: EmulatorOptions,
): Promise<BenchEmulator> {
  return mode === 'thread' ? threadEmulator(options) : inlineEmulator(options);
}

async function inlineEmulator(options: EmulatorOptions): Promise<BenchEmulator> {
  const emu = await startEmulator(options);
  const control = emu.control;
  return {
    mode: 'inline',
    url: emu.url,
    caPem: emu.caPem,
    // Cloned as the thread's messages are, so that a benchmark that runs inline runs in the thread too.
    control: asyncControl(async (method, args) =>
      structuredClone(await invoke(control, method, structuredClone(args))),
    ),
    close: () => emu.close(),
  };
}

async function threadEmulator(options: EmulatorOptions): Promise<BenchEmulator> {
  const worker = new Worker(new URL('./emulator-thread.js', import.meta.url), { workerData: options });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  // Set once the thread has ended (or is closing): every call after that fails with it.
  let ended: Error | null = null;
  let ready: (value: { url: string; caPem: string }) => void;
  let failed: (error: Error) => void;
  const started = new Promise<{ url: string; caPem: string }>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });

  const end = (error: Error) => {
    ended ??= error;
    failed(error);
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  };
  worker.on('message', (message: ThreadMessage) => {
    if (message.kind === 'ready') return ready(message);
    const call = waiting.get(message.id);
    if (!call) return;
    waiting.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(fromThread(message.error));
  });
  // An uncaught error in the thread (startEmulator failing included) ends it.
  worker.on('error', (error) => end(error));
  worker.on('exit', (code) => end(new Error(`the emulator thread exited (code ${code})`)));

  const send = (request: ThreadRequest) =>
    new Promise<unknown>((resolve, reject) => {
      if (ended) return reject(ended);
      waiting.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });

  const { url, caPem } = await started;
  return {
    mode: 'thread',
    url,
    caPem,
    control: asyncControl((method, args) => send({ kind: 'call', id: nextId++, method, args })),
    async close() {
      if (ended) return;
      try {
        await send({ kind: 'close', id: nextId++ });
      } finally {
        ended = new Error('the emulator is closed');
        await worker.terminate();
      }
    },
  };
}

/** Calls a control method by name: the one place where a name and its arguments become a call. */
export function invoke(control: EmulatorControl, method: ControlMethod, args: unknown[]): unknown {
  const fn: unknown = Reflect.get(control, method);
  if (typeof fn !== 'function') throw new Error(`the emulator's control has no method ${String(method)}`);
  return (fn as (...a: unknown[]) => unknown).apply(control, args);
}

/** The error a caller sees: the thread's message and name, and its stack (where in the emulator it failed). */
function fromThread(thrown: ThreadError): Error {
  const error = new Error(thrown.message);
  error.name = thrown.name;
  if (thrown.stack) error.stack = thrown.stack;
  return error;
}

/** One forwarding function per method of EmulatorControl (its prototype's functions; getters are not calls). */
function asyncControl(call: (method: ControlMethod, args: unknown[]) => Promise<unknown>): AsyncControl {
  const prototype = EmulatorControl.prototype;
  const methods = Object.getOwnPropertyNames(prototype).filter(
    (name) =>
      name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
  ) as ControlMethod[];
  return Object.fromEntries(
    methods.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as AsyncControl;
}
