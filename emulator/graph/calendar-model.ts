// Calendar semantics shared by the Graph routes and the control surface: recurring series expanded
// into occurrences, the event resource as Graph writes it, and free/busy (getSchedule) computation.
import { epochToZoned, zonedToEpoch } from '../time-zones.js';
import type { EmulatorState, EventRecord, ShowAs, User } from '../state.js';

export interface EventView extends EventRecord {
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId?: string;
}

const DAY = 24 * 3600_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MAX_OCCURRENCES = 1000;

/** Occurrence ids must round-trip through GET /events/{id}: the series id plus the occurrence's date. */
export function occurrenceId(seriesId: string, date: string): string {
  return `${seriesId}_OCC_${date.replace(/-/g, '')}`;
}

export function parseOccurrenceId(id: string): { seriesId: string; date: string } | undefined {
  const m = /^(.*)_OCC_(\d{4})(\d{2})(\d{2})$/.exec(id);
  return m ? { seriesId: m[1], date: `${m[2]}-${m[3]}-${m[4]}` } : undefined;
}

/** Expands a series into the occurrences whose start falls in [fromMs - duration, toMs). */
export function expandSeries(master: EventRecord, fromMs: number, toMs: number): EventView[] {
  const rec = master.recurrence!;
  const zone = rec.range.recurrenceTimeZone ?? master.originalStartTimeZone;
  const duration = master.endMs - master.startMs;
  const startLocal = epochToZoned(master.startMs, zone).slice(11);
  const first = new Date(`${rec.range.startDate}T00:00:00Z`).getTime();
  const last =
    rec.range.type === 'endDate' && rec.range.endDate
      ? new Date(`${rec.range.endDate}T00:00:00Z`).getTime()
      : Infinity;
  const limit = rec.range.type === 'numbered' ? (rec.range.numberOfOccurrences ?? 1) : MAX_OCCURRENCES * 10;
  const interval = Math.max(1, rec.pattern.interval || 1);
  const days = (rec.pattern.daysOfWeek ?? [WEEKDAYS[new Date(first).getUTCDay()]]).map((d) =>
    d.toLowerCase(),
  );
  const firstDow = WEEKDAYS.indexOf((rec.pattern.firstDayOfWeek ?? 'sunday').toLowerCase());
  const weekStart = (ms: number) => ms - ((new Date(ms).getUTCDay() - firstDow + 7) % 7) * DAY;
  const out: EventView[] = [];
  let count = 0;
  for (let day = first; day <= last && count < limit && day < toMs + 2 * DAY; day += DAY) {
    const dow = new Date(day).getUTCDay();
    let matches: boolean;
    if (rec.pattern.type === 'daily') matches = Math.round((day - first) / DAY) % interval === 0;
    else
      matches =
        days.includes(WEEKDAYS[dow]) &&
        Math.round((weekStart(day) - weekStart(first)) / (7 * DAY)) % interval === 0;
    if (!matches) continue;
    count++;
    const date = new Date(day).toISOString().slice(0, 10);
    const startMs = zonedToEpoch(`${date}T${startLocal}`, zone);
    if (startMs + duration <= fromMs || startMs >= toMs) continue;
    out.push({
      ...master,
      id: occurrenceId(master.id, date),
      type: 'occurrence',
      seriesMasterId: master.id,
      startMs,
      endMs: startMs + duration,
      recurrence: undefined,
    });
    if (out.length >= MAX_OCCURRENCES) break;
  }
  return out;
}

/** What a calendar shows in a window: single events and expanded occurrences, cancelled ones left out. */
export function instancesBetween(
  state: EmulatorState,
  ownerId: string,
  fromMs: number,
  toMs: number,
): EventView[] {
  const out: EventView[] = [];
  for (const e of state.eventsOf(ownerId)) {
    if (e.isCancelled) continue;
    if (e.recurrence) out.push(...expandSeries(e, fromMs, toMs));
    else if (e.startMs < toMs && e.endMs > fromMs) out.push({ ...e, type: 'singleInstance' });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** Finds an event by id, occurrence ids included. */
export function findEventView(state: EmulatorState, id: string): EventView | undefined {
  const e = state.events.get(id);
  if (e) return { ...e, type: e.recurrence ? 'seriesMaster' : 'singleInstance' };
  const occ = parseOccurrenceId(id);
  if (!occ) return undefined;
  const master = state.events.get(occ.seriesId);
  if (!master?.recurrence) return undefined;
  const dayStart = new Date(`${occ.date}T00:00:00Z`).getTime();
  return expandSeries(master, dayStart - DAY, dayStart + 2 * DAY).find((o) => o.id === id);
}

export function dateTimeTimeZone(ms: number, zone: string | undefined) {
  const tz = zone ?? 'UTC';
  return { dateTime: epochToZoned(ms, tz), timeZone: tz };
}

export function webLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

export function etag(e: EventRecord): string {
  return `W/"${e.changeKey}"`;
}

/** The event resource as Graph serialises it (microsoft-graph-docs-contrib api-reference/v1.0/resources/event.md). */
export function toGraphEvent(e: EventView, zone: string | undefined, contextUrl?: string) {
  const location = {
    locationType: 'default',
    uniqueIdType: 'unknown',
    address: {},
    coordinates: {},
    ...e.location,
  };
  return {
    ...(contextUrl ? { '@odata.context': contextUrl } : {}),
    '@odata.etag': etag(e),
    id: e.id,
    createdDateTime: e.createdDateTime,
    lastModifiedDateTime: e.lastModifiedDateTime,
    changeKey: e.changeKey,
    categories: e.categories,
    transactionId: e.transactionId ?? null,
    originalStartTimeZone: e.originalStartTimeZone,
    originalEndTimeZone: e.originalEndTimeZone,
    iCalUId: e.iCalUId,
    uid: e.iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: e.subject,
    bodyPreview: stripHtml(e.body.content).slice(0, 255),
    importance: 'normal',
    sensitivity: e.sensitivity,
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    isOrganizer: e.isOrganizer,
    responseRequested: true,
    seriesMasterId: e.seriesMasterId ?? null,
    showAs: e.showAs,
    type: e.type,
    webLink: webLink(e.id),
    onlineMeetingUrl: null,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.onlineMeetingProvider,
    allowNewTimeProposals: true,
    occurrenceId: null,
    isDraft: false,
    hideAttendees: false,
    responseStatus: e.isOrganizer
      ? { response: 'organizer', time: '0001-01-01T00:00:00Z' }
      : (e.responseStatus ?? { response: 'notResponded', time: '0001-01-01T00:00:00Z' }),
    body: e.body,
    start: dateTimeTimeZone(e.startMs, zone),
    end: dateTimeTimeZone(e.endMs, zone),
    location,
    locations: e.location.displayName ? [location] : [],
    recurrence: e.recurrence ?? null,
    attendees: e.attendees,
    organizer: { emailAddress: e.organizer },
    onlineMeeting: e.isOnlineMeeting && e.joinUrl ? { joinUrl: e.joinUrl } : null,
  };
}

export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Applies `$select` the way Graph does: the listed properties plus `@odata.etag` and `id`. */
export function applySelect<T extends Record<string, unknown>>(
  obj: T,
  select: string | undefined,
): Partial<T> {
  if (!select) return obj;
  const keep = new Set(['@odata.etag', '@odata.context', 'id', ...select.split(',').map((s) => s.trim())]);
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keep.has(k))) as Partial<T>;
}

// Free/busy ----------------------------------------------------------------------------------------

const VIEW_DIGIT: Record<ShowAs, string> = {
  free: '0',
  tentative: '1',
  busy: '2',
  oof: '3',
  workingElsewhere: '4',
  unknown: '2',
};
const SEVERITY: Record<ShowAs, number> = {
  free: 0,
  workingElsewhere: 1,
  tentative: 2,
  busy: 3,
  unknown: 3,
  oof: 4,
};

export function availabilityView(
  items: EventView[],
  fromMs: number,
  toMs: number,
  intervalMin: number,
): string {
  const step = intervalMin * 60_000;
  let view = '';
  for (let s = fromMs; s < toMs; s += step) {
    let worst: ShowAs = 'free';
    for (const i of items) {
      if (i.startMs < s + step && i.endMs > s && SEVERITY[i.showAs] > SEVERITY[worst]) worst = i.showAs;
    }
    view += VIEW_DIGIT[worst];
  }
  return view;
}

export function scheduleInformation(
  state: EmulatorState,
  requester: User | undefined,
  address: string,
  fromMs: number,
  toMs: number,
  intervalMin: number,
  zone: string | undefined,
) {
  const owner = state.findUser(address);
  if (!owner || (requester && owner.tenantId !== requester.tenantId)) {
    return {
      scheduleId: address,
      availabilityView: '',
      scheduleItems: [],
      error: {
        message: `The specified emailaddress doesn't match any user.`,
        responseCode: 'ErrorMailRecipientNotFound',
      },
    };
  }
  const items = instancesBetween(state, owner.id, fromMs, toMs);
  return {
    scheduleId: address,
    availabilityView: availabilityView(items, fromMs, toMs, intervalMin),
    scheduleItems: items.map((i) => {
      const isPrivate = i.sensitivity === 'private' || i.sensitivity === 'confidential';
      return {
        isPrivate,
        status: i.showAs,
        ...(isPrivate ? {} : { subject: i.subject, location: i.location.displayName }),
        isMeeting: i.attendees.length > 0,
        isRecurring: i.type === 'occurrence',
        isException: false,
        isReminderSet: true,
        start: dateTimeTimeZone(i.startMs, zone),
        end: dateTimeTimeZone(i.endMs, zone),
      };
    }),
    workingHours: {
      daysOfWeek: owner.workingHours.daysOfWeek,
      startTime: `${owner.workingHours.startTime}:00.0000000`,
      endTime: `${owner.workingHours.endTime}:00.0000000`,
      timeZone: { name: owner.workingHours.timeZone ?? owner.timeZone },
    },
  };
}
