// Free/busy through Graph's getSchedule, read with the host's own connection: in UTC, schedules batched
// (20 per call unless configured), windows split under Graph's 62-day limit, statuses mapped, and a
// schedule Graph cannot read reported as an error — never as free time. Microsoft withdrawing the host's
// access is part of the answer (`refusal`), not a side effect: the use case records it.
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
import type { GraphClients } from './graph-clients.js';

const DAY = 24 * 3600_000;
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
    const seen = new Set<string>();
    const addresses = [request.mailbox, ...request.extraCalendars].filter((a) => {
      const key = a.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const session = this.graph.forMember(request.workspaceId, request.memberId);
    const items: ScheduleItem[] = [];
    try {
      for (const [from, to] of splitWindow(request.start, request.end, this.maxDays)) {
        for (let i = 0; i < addresses.length; i += this.perCall) {
          const batch = addresses.slice(i, i + this.perCall);
          const response = await session.request<{ value: ScheduleInformation[] }>({
            method: 'POST',
            path: '/me/calendar/getSchedule',
            headers: { Prefer: 'outlook.timezone="UTC"' },
            body: {
              schedules: batch,
              startTime: graphDateTime(from),
              endTime: graphDateTime(to),
              availabilityViewInterval: 60,
            },
          });
          const byId = new Map(response.value.map((s) => [s.scheduleId.toLowerCase(), s]));
          for (const address of batch) {
            const schedule = byId.get(address.toLowerCase());
            if (!schedule || schedule.error) {
              return {
                ok: false,
                code: 'MICROSOFT_UNAVAILABLE',
                detail: `Microsoft 365 could not read the calendar of ${address}: ${schedule?.error?.message ?? 'no answer'}`,
                calendar: address,
              };
            }
            for (const item of schedule.scheduleItems ?? []) {
              const status = (
                STATUSES.has(item.status as BusyStatus) ? item.status : 'unknown'
              ) as BusyStatus;
              items.push({
                start: utcMs(item.start.dateTime),
                end: utcMs(item.end.dateTime),
                status,
                calendar: address,
              });
            }
          }
        }
      }
    } catch (error) {
      return failure(error);
    }
    return { ok: true, items };
  }
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
