// Microsoft 365 free/busy set by hand per mailbox, for tests of slots: items on a host's own mailbox or
// on a room / shared mailbox, mailboxes that fail to read (one bad calendar fails the whole host), and
// members whose access Microsoft withdraws on the next read (the answer carries the refusal). A pool read
// answers each host as its own read does.
import type { BusyStatus } from '@domain/availability/slot-engine.js';
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';
import {
  FreeBusyGateway,
  type HostSchedule,
  type HostScheduleFailureCode,
  type HostScheduleRequest,
  type ScheduleItem,
} from '@application/ports/free-busy.gateway.js';

export class FakeFreeBusyGateway extends FreeBusyGateway {
  private readonly items = new Map<string, ScheduleItem[]>();
  private readonly failures = new Map<string, { code: HostScheduleFailureCode; detail: string }>();
  private readonly refusals = new Map<string, MicrosoftFailure>();
  /** Every request received, newest last, so tests can check the window and calendars asked for. */
  readonly requests: HostScheduleRequest[] = [];
  /** How many hosts each pool read asked for, in order. */
  readonly poolReads: number[] = [];

  /** Adds an item to a mailbox's calendar; times are ISO strings or epoch ms. */
  add(mailbox: string, item: { start: string | number; end: string | number; status: BusyStatus }): this {
    const key = mailbox.toLowerCase();
    const list = this.items.get(key) ?? [];
    list.push({ start: toMs(item.start), end: toMs(item.end), status: item.status, calendar: mailbox });
    this.items.set(key, list);
    return this;
  }

  fail(
    mailbox: string,
    code: HostScheduleFailureCode = 'MICROSOFT_UNAVAILABLE',
    detail = 'simulated failure',
  ): this {
    this.failures.set(mailbox.toLowerCase(), { code, detail });
    return this;
  }

  /** Microsoft refuses the member's access from now on (a revoked consent, by default). */
  refuse(
    memberId: string,
    verdict: MicrosoftFailure = { kind: 'revoked', tenantWide: false, reason: 'simulated revocation' },
  ): this {
    this.refusals.set(memberId, verdict);
    return this;
  }

  reset(): void {
    this.items.clear();
    this.failures.clear();
    this.refusals.clear();
    this.requests.length = 0;
    this.poolReads.length = 0;
  }

  /** Each host as `hostSchedule` answers it: the fake has no tokens to borrow. */
  async poolSchedules(requests: readonly HostScheduleRequest[]): Promise<HostSchedule[]> {
    this.poolReads.push(requests.length);
    return Promise.all(requests.map((request) => this.hostSchedule(request)));
  }

  async hostSchedule(request: HostScheduleRequest): Promise<HostSchedule> {
    this.requests.push(structuredClone(request));
    const refusal = this.refusals.get(request.memberId);
    if (refusal) {
      const detail = `Microsoft refused this member's access (${refusal.reason}).`;
      return { ok: false, code: 'CONSENT_REVOKED', detail, refusal: { ...refusal } };
    }
    const mailboxes = [request.mailbox, ...request.extraCalendars];
    for (const mailbox of mailboxes) {
      const failure = this.failures.get(mailbox.toLowerCase());
      if (failure) return { ok: false, ...failure, calendar: mailbox };
    }
    const items = mailboxes.flatMap((mailbox) =>
      (this.items.get(mailbox.toLowerCase()) ?? [])
        .filter((item) => item.start < request.end && item.end > request.start)
        .map((item) => ({ ...item, calendar: mailbox })),
    );
    return { ok: true, items };
  }
}

function toMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}
