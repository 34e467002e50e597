// Keeps what the emulated Microsoft 365 remembers in one JSON file, so that a restart changes nothing a
// client can see: directory, consents, codes and tokens (and the key that signed them), mailboxes, delta
// tokens, subscriptions, sessions, the TLS material and the port. Written atomically (temp file, fsync,
// rename), debounced after changes and at close; faults, logs and queued sign-ins are not kept.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type {
  AccessTokenRecord,
  App,
  AuthCode,
  DeltaState,
  EmulatorLimits,
  EmulatorState,
  EventRecord,
  Grant,
  PendingDeltaPage,
  RefreshTokenRecord,
  Subscription,
  Tenant,
  User,
} from './state.js';
import type { TlsMaterial } from './tls.js';

const VERSION = 1;

interface StoredDeltaState {
  ownerId: string;
  startMs: number;
  endMs: number;
  seen: [string, string][];
}

export interface StateSnapshot {
  version: typeof VERSION;
  savedAt: string;
  port: number;
  signingKeyPem: string;
  tls: TlsMaterial;
  clockOffsetMs: number;
  limits: EmulatorLimits;
  tenants: Tenant[];
  users: User[];
  apps: App[];
  grants: Grant[];
  codes: AuthCode[];
  refreshTokens: RefreshTokenRecord[];
  accessTokens: AccessTokenRecord[];
  events: EventRecord[];
  subscriptions: Subscription[];
  deltaStates: [string, StoredDeltaState][];
  deltaPages: [string, { state: StoredDeltaState; items: unknown[] }][];
  sessions: [string, string][];
}

export class StateFileError extends Error {}

/** The snapshot in `file`, or null when there is none yet. An unreadable file stops the start: no silent loss. */
export function readStateFile(file: string): StateSnapshot | null {
  if (!existsSync(file)) return null;
  let snapshot: StateSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as StateSnapshot;
  } catch (error) {
    throw new StateFileError(
      `The emulator's state file ${file} cannot be read (${(error as Error).message}); move it away to start with a fresh Microsoft 365.`,
    );
  }
  if (snapshot?.version !== VERSION) {
    throw new StateFileError(
      `The emulator's state file ${file} has version ${String(snapshot?.version)}, not ${VERSION}; move it away to start with a fresh Microsoft 365.`,
    );
  }
  return snapshot;
}

/** The port the emulator last listened on, from its state file (null when there is none). */
export function savedPort(file: string): number | null {
  try {
    return readStateFile(file)?.port ?? null;
  } catch {
    return null;
  }
}

/** TLS material from a snapshot is reused while its certificate is valid for a day more and names the host. */
export function reusableTls(
  tls: TlsMaterial | undefined,
  host: string,
  nowMs: number,
): TlsMaterial | undefined {
  if (!tls?.cert || !tls.key || !tls.ca) return undefined;
  try {
    const cert = new X509Certificate(tls.cert);
    if (Date.parse(cert.validTo) < nowMs + 24 * 3600_000) return undefined;
    const names = /^[\d.]+$/.test(host) || host.includes(':') ? cert.checkIP(host) : cert.checkHost(host);
    return names ? tls : undefined;
  } catch {
    return undefined;
  }
}

const storeDelta = (d: DeltaState): StoredDeltaState => ({
  ownerId: d.ownerId,
  startMs: d.startMs,
  endMs: d.endMs,
  seen: [...d.seen],
});
const loadDelta = (d: StoredDeltaState): DeltaState => ({
  ownerId: d.ownerId,
  startMs: d.startMs,
  endMs: d.endMs,
  seen: new Map(d.seen),
});

export function snapshotOf(
  state: EmulatorState,
  extras: { port: number; signingKeyPem: string; tls: TlsMaterial },
): StateSnapshot {
  const now = state.now();
  return {
    version: VERSION,
    savedAt: new Date().toISOString(),
    ...extras,
    clockOffsetMs: state.clockOffsetMs,
    limits: state.limits,
    tenants: [...state.tenants.values()],
    users: [...state.users.values()],
    apps: [...state.apps.values()],
    grants: state.grants,
    // What can no longer be used is not worth keeping (an expired code or access token is refused anyway).
    codes: [...state.codes.values()].filter((c) => c.expiresAt > now && !c.redeemed),
    refreshTokens: [...state.refreshTokens.values()].filter((r) => r.expiresAt > now),
    accessTokens: [...state.accessTokens.values()].filter((t) => t.expiresAt > now),
    events: [...state.events.values()],
    subscriptions: [...state.subscriptions.values()],
    deltaStates: [...state.deltaStates].map(([token, d]) => [token, storeDelta(d)]),
    deltaPages: [...state.deltaPages].map(([token, p]: [string, PendingDeltaPage]) => [
      token,
      { state: storeDelta(p.state), items: p.items },
    ]),
    sessions: [...state.sessions],
  };
}

/** Puts a snapshot's contents back into a fresh state. */
export function restoreState(state: EmulatorState, s: StateSnapshot): void {
  state.clockOffsetMs = s.clockOffsetMs ?? 0;
  const byKey = <T>(items: T[], key: (t: T) => string) => new Map(items.map((i) => [key(i), i]));
  state.tenants = byKey(s.tenants, (t) => t.id);
  state.users = byKey(s.users, (u) => u.id);
  state.apps = byKey(s.apps, (a) => a.clientId);
  state.grants = s.grants;
  state.codes = byKey(s.codes, (c) => c.code);
  state.refreshTokens = byKey(s.refreshTokens, (r) => r.token);
  state.accessTokens = byKey(s.accessTokens, (t) => t.jti);
  state.events = byKey(s.events, (e) => e.id);
  state.subscriptions = byKey(s.subscriptions, (x) => x.id);
  state.deltaStates = new Map(s.deltaStates.map(([token, d]) => [token, loadDelta(d)]));
  state.deltaPages = new Map(
    s.deltaPages.map(([token, p]) => [token, { state: loadDelta(p.state), items: p.items }]),
  );
  state.sessions = new Map(s.sessions);
}

/** Writes `text` to `file` so that a reader only ever sees the old or the new content, whole. */
export function writeFileAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Saves a little after the last change (changes come in bursts: a sign-in is several requests) and at close. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | null = null;
  private last: string | null = null;

  constructor(
    private readonly file: string,
    private readonly produce: () => StateSnapshot,
    private readonly delayMs = 200,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.save();
      } catch (error) {
        // A timer must not crash the process hosting the emulator; the next change or the close tries again.
        console.error(`The emulator could not save its state to ${this.file}: ${(error as Error).message}`);
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.save();
  }

  private save(): void {
    const snapshot = this.produce();
    // savedAt changes on every call: compare without it, so that an idle emulator never rewrites the file.
    const text = JSON.stringify({ ...snapshot, savedAt: undefined });
    if (text === this.last) return;
    writeFileAtomically(this.file, JSON.stringify(snapshot));
    this.last = text;
  }
}
