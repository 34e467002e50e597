// One contract for FreeBusyGateway's pool read: every host of a pool answered as its own read answers it
// (items, windows, extra calendars, failures naming the calendar), a refusal only its owner's, an outage
// everyone's. Run on the in-memory fake (bare and behind the cache) and on the Graph adapter against the
// emulator, where one host's token reads the others' mailboxes and a schedule it cannot see falls back.
import type {
  FreeBusyGateway,
  HostSchedule,
  HostScheduleRequest,
} from '@application/ports/free-busy.gateway.js';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;
export const CONTRACT_FROM = Date.parse('2026-12-01T00:00:00Z');
const WEEK_END = CONTRACT_FROM + 7 * DAY;

export interface FreeBusyWorld {
  gateway: FreeBusyGateway;
  /** A connected host of the workspace (one tenant), busy at these [start, end) times, read over the week. */
  host(busy?: [number, number][]): Promise<HostScheduleRequest>;
  /** A room mailbox of the tenant, busy at these times. */
  room(busy?: [number, number][]): Promise<string>;
  /** A mailbox address Microsoft 365 does not know. */
  unknownMailbox(): Promise<string>;
  /**
   * A connected host of the workspace whose calendar the other hosts' access cannot read (on Graph: an
   * account of another tenant), though their own can.
   */
  stranger(busy?: [number, number][]): Promise<HostScheduleRequest>;
  /** Microsoft withdraws the host's access from now on. */
  revoke(request: HostScheduleRequest): Promise<void>;
  /** Microsoft 365 cannot answer for these hosts now (5xx beyond the retries). */
  outage(requests: HostScheduleRequest[]): Promise<void>;
}

type Failed = Extract<HostSchedule, { ok: false }>;

/** Items as comparable rows: the calendar (any case), times and status, sorted. */
function rows(schedule: HostSchedule | undefined): string[] {
  if (!schedule?.ok) throw new Error(`not read: ${JSON.stringify(schedule)}`);
  return schedule.items
    .map(
      (i) =>
        `${i.calendar.toLowerCase()} ${new Date(i.start).toISOString()} ${new Date(i.end).toISOString()} ${i.status}`,
    )
    .sort();
}

const at = (day: number, hour: number, hours = 1): [number, number] => [
  CONTRACT_FROM + day * DAY + hour * HOUR,
  CONTRACT_FROM + day * DAY + (hour + hours) * HOUR,
];

export function freeBusyGatewayContract(name: string, setup: () => Promise<FreeBusyWorld>) {
  describe(`FreeBusyGateway pool reads (${name})`, () => {
    let w: FreeBusyWorld;
    beforeEach(async () => {
      w = await setup();
    });

    it('reads rooms with a host’s token: the rooms’ items only, each naming its room; a room it cannot read named', async () => {
      const one = await w.room([at(2, 13)]);
      const two = await w.room([at(2, 15)]);
      const adele = await w.host([at(2, 9)]);
      const rooms = { ...adele, mailbox: one, extraCalendars: [two], rooms: true };
      expect(rows(await w.gateway.hostSchedule(rooms))).toEqual(
        [
          [one, at(2, 13)],
          [two, at(2, 15)],
        ]
          .map(
            ([room, [s, e]]) =>
              `${(room as string).toLowerCase()} ${new Date(s as number).toISOString()} ${new Date(e as number).toISOString()} busy`,
          )
          .sort(),
      );
      const unknown = await w.unknownMailbox();
      const failed = await w.gateway.hostSchedule({ ...rooms, extraCalendars: [two, unknown] });
      expect(failed).toMatchObject({ ok: false, calendar: unknown });
    });

    it('answers each host of a pool, in order, as their own read does', async () => {
      const room = await w.room([at(2, 13)]);
      const adele = await w.host([at(1, 9), at(3, 10, 2)]);
      const bob = { ...(await w.host([at(1, 11)])), extraCalendars: [room] };
      const cleo = await w.host([]);
      const pool = await w.gateway.poolSchedules([adele, bob, cleo]);
      expect(pool).toHaveLength(3);
      expect(rows(pool[0])).toEqual(rows(await w.gateway.hostSchedule(adele)));
      expect(rows(pool[1])).toEqual(rows(await w.gateway.hostSchedule(bob)));
      expect(rows(pool[2])).toEqual(rows(await w.gateway.hostSchedule(cleo)));
      // Not vacuous: the seeded busy time is there, the room's with its host only.
      expect(rows(pool[0])).toEqual(
        [at(1, 9), at(3, 10, 2)].map(
          ([s, e]) =>
            `${adele.mailbox.toLowerCase()} ${new Date(s).toISOString()} ${new Date(e).toISOString()} busy`,
        ),
      );
      expect(rows(pool[1])).toContain(
        `${room.toLowerCase()} ${new Date(at(2, 13)[0]).toISOString()} ${new Date(at(2, 13)[1]).toISOString()} busy`,
      );
      expect(rows(pool[2])).toEqual([]);
    });

    it("keeps each host's own window when the pool's windows differ", async () => {
      const adele = { ...(await w.host([at(1, 9), at(5, 9)])), end: CONTRACT_FROM + 3 * DAY };
      const bob = { ...(await w.host([at(1, 9), at(5, 9)])), start: CONTRACT_FROM + 4 * DAY, end: WEEK_END };
      const [a, b] = await w.gateway.poolSchedules([adele, bob]);
      expect(rows(a)).toEqual(rows(await w.gateway.hostSchedule(adele)));
      expect(rows(b)).toEqual(rows(await w.gateway.hostSchedule(bob)));
      expect(rows(a)).toHaveLength(1);
      expect(rows(b)).toHaveLength(1);
    });

    it('an empty pool is answered with nothing', async () => {
      expect(await w.gateway.poolSchedules([])).toEqual([]);
    });

    it('a calendar that cannot be read fails its host only, naming it; never free time', async () => {
      const unknown = await w.unknownMailbox();
      const adele = await w.host([at(1, 9)]);
      const bob = { ...(await w.host()), extraCalendars: [unknown] };
      const [a, b] = await w.gateway.poolSchedules([adele, bob]);
      expect(rows(a)).toHaveLength(1);
      expect(b).toMatchObject({ ok: false, code: 'MICROSOFT_UNAVAILABLE', calendar: unknown });
      expect((b as Failed).refusal).toBeUndefined();
    });

    it('a host whose calendar the others cannot read is read with their own access', async () => {
      const adele = await w.host([at(1, 9)]);
      const stranger = await w.stranger([at(2, 15)]);
      const [a, s] = await w.gateway.poolSchedules([adele, stranger]);
      expect(rows(a)).toHaveLength(1);
      expect(rows(s)).toEqual(rows(await w.gateway.hostSchedule(stranger)));
      expect(rows(s)).toHaveLength(1);
    });

    it('a refusal of the access a pool read uses is its owner’s answer only', async () => {
      const adele = await w.host([at(1, 9)]);
      const bob = await w.host([at(1, 10)]);
      const cleo = await w.host([at(1, 11)]);
      await w.revoke(adele);
      const [a, b, c] = await w.gateway.poolSchedules([adele, bob, cleo]);
      expect(a).toMatchObject({ ok: false, code: 'CONSENT_REVOKED', refusal: { kind: 'revoked' } });
      expect(rows(b)).toHaveLength(1);
      expect(rows(c)).toHaveLength(1);
      expect(b).not.toHaveProperty('refusal');
    });

    it('when every host is refused, each answers their own refusal', async () => {
      const hosts = [await w.host(), await w.host(), await w.host(), await w.host()];
      for (const h of hosts) await w.revoke(h);
      const answers = await w.gateway.poolSchedules(hosts);
      for (const answer of answers)
        expect(answer).toMatchObject({ ok: false, code: 'CONSENT_REVOKED', refusal: { kind: 'revoked' } });
    });

    it('an outage answers MICROSOFT_UNAVAILABLE for every host, with nothing to record', async () => {
      const hosts = [await w.host([at(1, 9)]), await w.host([at(1, 10)])];
      await w.outage(hosts);
      const answers = await w.gateway.poolSchedules(hosts);
      for (const answer of answers) {
        expect(answer).toMatchObject({ ok: false, code: 'MICROSOFT_UNAVAILABLE' });
        expect((answer as Failed).refusal).toBeUndefined();
      }
    });
  });
}
