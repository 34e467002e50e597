// Free/busy through Graph's getSchedule: in UTC, schedules batched (20 per call unless configured), windows
// split under Graph's 62-day limit, statuses mapped, and a schedule Graph cannot read reported as an error —
// never as free time. One host is read with their own connection; a pool of one tenant with one connected
// host's delegated token, 20 mailboxes a call, a host falling back to their own read where that fails.
// Microsoft withdrawing a host's access is part of that host's answer (`refusal`), not a side effect: the
// use case records it.
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { BusyStatus } from '@domain/availability/slot-engine.js';
import { calendarFailureCode } from '@domain/availability/host-readiness.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import {
  FreeBusyGateway,
  type HostSchedule,
  type HostScheduleRequest,
  type ScheduleItem,
} from '@application/ports/free-busy.gateway.js';
import type { GraphClients, GraphSession } from './graph-clients.js';

const DAY = 24 * 3600_000;
/** Hosts whose token a pool read tries for one batch before the batch's hosts read with their own. */
const BORROWERS_PER_BATCH = 3;
/** getSchedule calls a pool read has in flight at once. */
const POOL_CONCURRENCY = 8;
const STATUSES = new Set<BusyStatus>(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);

export interface GraphFreeBusyOptions {
  /** Schedules per getSchedule call: 20 in the docs, 100 observed. */
  schedulesPerCall?: number;
  /** Longest window per call, in days; Graph refuses 62 days or more. */
  maxWindowDays?: number;
}

interface ScheduleInformation {
  scheduleId: string;
  scheduleItems?: {
    start: { dateTime: string; timeZone?: string };
    end: { dateTime: string; timeZone?: string };
    status: string;
  }[];
  error?: { message?: string; responseCode?: string };
}

/** Graph writes UTC times without an offset ("2026-12-01T09:00:00.0000000"). */
function utcMs(dateTime: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);
}

function graphDateTime(ms: number): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(ms).toISOString().replace('Z', ''), timeZone: 'UTC' };
}

export function splitWindow(start: number, end: number, maxDays: number): [number, number][] {
  const parts: [number, number][] = [];
  for (let from = start; from < end; from += maxDays * DAY)
    parts.push([from, Math.min(end, from + maxDays * DAY)]);
  return parts;
}

export class GraphFreeBusyGateway extends FreeBusyGateway {
  private readonly perCall: number;
  private readonly maxDays: number;

  constructor(
    private readonly graph: GraphClients,
    options: GraphFreeBusyOptions = {},
  ) {
    super();
    this.perCall = options.schedulesPerCall ?? 20;
    this.maxDays = Math.min(options.maxWindowDays ?? 61, 61);
  }

  async hostSchedule(request: HostScheduleRequest): Promise<HostSchedule> {
    const addresses = distinct([request.mailbox, ...request.extraCalendars]);
    const session = this.graph.forMember(request.workspaceId, request.memberId);
    const items: ScheduleItem[] = [];
    try {
      for (const [from, to] of splitWindow(request.start, request.end, this.maxDays)) {
        for (let i = 0; i < addresses.length; i += this.perCall) {
          const batch = addresses.slice(i, i + this.perCall);
          const schedules = await getSchedule(session, batch, from, to);
          for (const address of batch) {
            const schedule = schedules.get(address.toLowerCase());
            if (!schedule || schedule.error) return unreadableCalendar(address, schedule);
            items.push(...itemsOf(schedule, address));
          }
        }
      }
    } catch (error) {
      return failure(error);
    }
    return { ok: true, items };
  }

  /**
   * Hosts of one workspace (one tenant) are read together: their mailboxes and extra calendars, each address
   * once, 20 to a call, over the union of their windows, with the token of a host of the batch (the next
   * one when Microsoft refuses it: that refusal is the refused host's answer, and theirs only). A host with
   * a schedule that comes back with an error, or whose batch found no token that worked, reads with their
   * own token as `hostSchedule` does; an outage answers for every host of the batch.
   */
  async poolSchedules(requests: readonly HostScheduleRequest[]): Promise<HostSchedule[]> {
    const answers: HostSchedule[] = new Array<HostSchedule>(requests.length);
    const byWorkspace = new Map<string, number[]>();
    requests.forEach((r, i) =>
      byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), i]),
    );
    await Promise.all(
      [...byWorkspace.values()].map(async (indexes) => {
        if (indexes.length === 1) {
          answers[indexes[0]!] = await this.hostSchedule(requests[indexes[0]!]!);
          return;
        }
        const read = await this.readTenant(indexes.map((i) => requests[i]!));
        indexes.forEach((i, k) => (answers[i] = read[k]!));
      }),
    );
    return answers;
  }

  private async readTenant(requests: HostScheduleRequest[]): Promise<HostSchedule[]> {
    const workspaceId = requests[0]!.workspaceId;
    const hosts = requests.map((request) => ({
      request,
      addresses: distinct([request.mailbox, ...request.extraCalendars]),
    }));
    // Each address once, in the hosts' order; a batch is borrowed by a host whose own mailbox is in it.
    const addresses = distinct(hosts.flatMap((h) => h.addresses));
    const ownerOf = new Map<string, number>();
    hosts.forEach((h, i) => {
      const key = h.request.mailbox.toLowerCase();
      if (!ownerOf.has(key)) ownerOf.set(key, i);
    });
    const parts = splitWindow(
      Math.min(...requests.map((r) => r.start)),
      Math.max(...requests.map((r) => r.end)),
      this.maxDays,
    );
    const batches: string[][] = [];
    for (let i = 0; i < addresses.length; i += this.perCall)
      batches.push(addresses.slice(i, i + this.perCall));

    /** What each host's own token answered when it was borrowed and failed: that host's answer. */
    const refused = new Map<number, HostSchedule>();
    const sessions = new Map<number, GraphSession>();
    const sessionOf = (host: number) => {
      let session = sessions.get(host);
      if (!session) {
        session = this.graph.forMember(workspaceId, hosts[host]!.request.memberId);
        sessions.set(host, session);
      }
      return session;
    };
    /** Per part and address (lower case): the schedule read, or why its batch could not be read. */
    const read = parts.map(() => new Map<string, ScheduleInformation | BatchOutcome>());

    const readBatch = async (part: number, batch: string[]) => {
      const [from, to] = parts[part]!;
      const owners = batch.map((a) => ownerOf.get(a.toLowerCase())).filter((i) => i !== undefined);
      const candidates = distinctNumbers([...owners, ...hosts.keys()]);
      let outcome: BatchOutcome = { fallBack: true };
      let tries = 0;
      for (const borrower of candidates) {
        if (tries === BORROWERS_PER_BATCH) break;
        if (refused.has(borrower)) continue;
        tries++;
        try {
          const schedules = await getSchedule(sessionOf(borrower), batch, from, to);
          for (const address of batch) {
            const key = address.toLowerCase();
            read[part]!.set(
              key,
              schedules.get(key) ?? { scheduleId: address, error: { message: 'no answer' } },
            );
          }
          return;
        } catch (error) {
          if (!ownedByBorrower(error)) {
            outcome = { outage: failure(error) };
            break;
          }
          refused.set(borrower, failure(error));
        }
      }
      for (const address of batch) read[part]!.set(address.toLowerCase(), outcome);
    };
    await inTurns(
      parts.flatMap((_, part) => batches.map((batch) => () => readBatch(part, batch))),
      POOL_CONCURRENCY,
    );

    return Promise.all(
      hosts.map(async (host, i): Promise<HostSchedule> => {
        const own = refused.get(i);
        if (own) return own;
        const { request } = host;
        const items: ScheduleItem[] = [];
        for (let part = 0; part < parts.length; part++) {
          const [from, to] = parts[part]!;
          if (to <= request.start || from >= request.end) continue;
          for (const address of host.addresses) {
            const schedule = read[part]!.get(address.toLowerCase());
            if (schedule && 'outage' in schedule) return schedule.outage;
            if (!schedule || 'fallBack' in schedule || schedule.error) return this.hostSchedule(request);
            for (const item of itemsOf(schedule, address))
              if (item.end > request.start && item.start < request.end) items.push(item);
          }
        }
        return { ok: true, items };
      }),
    );
  }
}

/** Why a batch of a pool read has no schedules: an outage (the answer of all its hosts), or no token worked. */
type BatchOutcome = { outage: HostSchedule } | { fallBack: true };

async function getSchedule(
  session: GraphSession,
  addresses: string[],
  from: number,
  to: number,
): Promise<Map<string, ScheduleInformation>> {
  const response = await session.request<{ value: ScheduleInformation[] }>({
    method: 'POST',
    path: '/me/calendar/getSchedule',
    headers: { Prefer: 'outlook.timezone="UTC"' },
    body: {
      schedules: addresses,
      startTime: graphDateTime(from),
      endTime: graphDateTime(to),
      availabilityViewInterval: 60,
    },
  });
  return new Map(response.value.map((s) => [s.scheduleId.toLowerCase(), s]));
}

function itemsOf(schedule: ScheduleInformation, address: string): ScheduleItem[] {
  return (schedule.scheduleItems ?? []).map((item) => ({
    start: utcMs(item.start.dateTime),
    end: utcMs(item.end.dateTime),
    status: (STATUSES.has(item.status as BusyStatus) ? item.status : 'unknown') as BusyStatus,
    calendar: address,
  }));
}

function unreadableCalendar(address: string, schedule: ScheduleInformation | undefined): HostSchedule {
  return {
    ok: false,
    code: 'MICROSOFT_UNAVAILABLE',
    detail: `Microsoft 365 could not read the calendar of ${address}: ${schedule?.error?.message ?? 'no answer'}`,
    calendar: address,
  };
}

/** Addresses without repeats (compared without case), first spelling kept. */
function distinct(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function distinctNumbers(values: number[]): number[] {
  return [...new Set(values)];
}

/**
 * A failure that belongs to the token's owner, not to Graph: Microsoft refusing them, or their stored tokens
 * unusable (sealed under a lost key, not connected). Throttling and outages are Graph's, for every host.
 */
function ownedByBorrower(error: unknown): boolean {
  if (error instanceof MicrosoftRefusal) return true;
  return error instanceof DomainError && !['MICROSOFT_UNAVAILABLE', 'RATE_LIMITED'].includes(error.code);
}

/** Runs the tasks with at most `limit` in flight. */
async function inTurns(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

function failure(error: unknown): HostSchedule {
  if (error instanceof MicrosoftRefusal) {
    return { ok: false, code: 'CONSENT_REVOKED', detail: error.message, refusal: error.verdict };
  }
  if (error instanceof DomainError) {
    return { ok: false, code: calendarFailureCode(error.code), detail: error.message };
  }
  if (error instanceof GraphError) {
    return {
      ok: false,
      code: error.statusCode === 429 ? 'RATE_LIMITED' : 'MICROSOFT_UNAVAILABLE',
      detail: `Microsoft Graph answered ${error.statusCode} ${error.code ?? ''}`.trim(),
    };
  }
  return {
    ok: false,
    code: 'MICROSOFT_UNAVAILABLE',
    detail: error instanceof Error ? error.message : String(error),
  };
}
