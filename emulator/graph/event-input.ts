// Reads the event JSON a client POSTs or PATCHes as Graph does: every property it knows checked for its
// type and values (400 in Graph's error body otherwise), so that nothing malformed ever reaches a mailbox.
import { isKnownZone, zonedToEpoch } from '../time-zones.js';
import type { Attendee, EventRecord, Recurrence, ShowAs } from '../state.js';
import { errors } from './errors.js';

export const SHOW_AS: readonly ShowAs[] = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'];
const SENSITIVITY = ['normal', 'personal', 'private', 'confidential'] as const;
const IMPORTANCE = ['low', 'normal', 'high'] as const;
const MEETING_PROVIDERS = ['unknown', 'teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer'] as const;
const ATTENDEE_TYPES = ['required', 'optional', 'resource'] as const;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** What the emulator expands; Graph also has monthly and yearly patterns (refused here, never ignored). */
const PATTERN_TYPES = ['daily', 'weekly'] as const;
const RANGE_TYPES = ['endDate', 'noEnd', 'numbered'] as const;

/** Properties of the event resource the emulator does not store: accepted and ignored, as Graph ignores read-only ones. */
const IGNORED = new Set([
  '@odata.type',
  '@odata.etag',
  '@odata.context',
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'iCalUId',
  'uid',
  'bodyPreview',
  'hasAttachments',
  'isCancelled',
  'isOrganizer',
  'isDraft',
  'seriesMasterId',
  'type',
  'webLink',
  'onlineMeetingUrl',
  'onlineMeeting',
  'occurrenceId',
  'organizer',
  'responseStatus',
  'locations',
  'cancelledOccurrences',
  'exceptionOccurrences',
  'originalStart',
  'reminderMinutesBeforeStart',
  'isReminderOn',
  'responseRequested',
  'allowNewTimeProposals',
  'hideAttendees',
  'importance',
]);

const KNOWN = new Set([
  ...IGNORED,
  'subject',
  'body',
  'start',
  'end',
  'isAllDay',
  'showAs',
  'sensitivity',
  'categories',
  'location',
  'attendees',
  'recurrence',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'transactionId',
]);

type Json = Record<string, unknown>;

/** A property whose JSON type is wrong (e.g. `body: "text"`): Graph's answer since 2016. */
const mismatch = (path: string) =>
  errors.badRequest(`Property ${path} in payload has a value that does not match schema.`, 'BadRequest');
/** A property the type does not have: OData's deserializer refuses it. */
const unknownProperty = (name: string, type: string) =>
  errors.badRequest(
    `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    'RequestBodyRead',
  );
/** An enum member that does not exist. */
const notFound = (value: unknown) =>
  errors.badRequest(`Requested value '${value}' was not found.`, 'RequestBodyRead');

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKnown(value: Json, known: readonly string[], type: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !key.startsWith('@odata.')) throw unknownProperty(key, type);
  }
}

function string(value: unknown, path: string, nullable = false): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string') throw mismatch(path);
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw mismatch(path);
  return value;
}

function member<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string') throw mismatch(path);
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) throw notFound(value);
  return found;
}

/** Graph's dateTimeTimeZone → epoch ms; `timeZone` is a Windows or IANA name (UTC when absent). */
export function dateTimeTimeZone(value: unknown, path: string): { ms: number; zone: string } {
  if (value === undefined || value === null)
    throw errors.badRequest(`${path} is required.`, 'ErrorInvalidParameter');
  if (!isObject(value)) throw mismatch(path);
  onlyKnown(value, ['dateTime', 'timeZone'], 'Microsoft.OutlookServices.DateTimeTimeZone');
  if (value.dateTime === undefined || value.dateTime === null || value.dateTime === '')
    throw errors.badRequest(`${path} is required.`, 'ErrorInvalidParameter');
  const dateTime = string(value.dateTime, `${path}.dateTime`)!;
  const zone =
    value.timeZone === undefined || value.timeZone === null
      ? 'UTC'
      : string(value.timeZone, `${path}.timeZone`)!;
  if (!isKnownZone(zone)) {
    throw errors.badRequest(
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
      'TimeZoneNotSupportedException',
    );
  }
  const ms = zonedToEpoch(dateTime, zone);
  if (Number.isNaN(ms))
    throw errors.badRequest(
      `Cannot convert the literal '${dateTime}' to the expected type 'Edm.DateTime'.`,
      'BadRequest',
    );
  return { ms, zone };
}

function itemBody(value: unknown): EventRecord['body'] {
  if (!isObject(value)) throw mismatch('body');
  onlyKnown(value, ['contentType', 'content'], 'Microsoft.OutlookServices.ItemBody');
  const contentType =
    value.contentType === undefined || value.contentType === null
      ? 'html'
      : member(value.contentType, ['text', 'html'] as const, 'body.contentType');
  const content = value.content === undefined ? '' : (string(value.content, 'body.content', true) ?? '');
  return { contentType, content };
}

function location(value: unknown): EventRecord['location'] {
  if (!isObject(value)) throw mismatch('location');
  onlyKnown(
    value,
    [
      'displayName',
      'locationType',
      'uniqueId',
      'uniqueIdType',
      'locationUri',
      'locationEmailAddress',
      'address',
      'coordinates',
    ],
    'Microsoft.OutlookServices.Location',
  );
  for (const key of [
    'displayName',
    'locationType',
    'uniqueId',
    'uniqueIdType',
    'locationUri',
    'locationEmailAddress',
  ])
    if (value[key] !== undefined) string(value[key], `location.${key}`, true);
  for (const key of ['address', 'coordinates'])
    if (value[key] !== undefined && value[key] !== null && !isObject(value[key]))
      throw mismatch(`location.${key}`);
  const displayName = (value.displayName as string | null | undefined) ?? '';
  return {
    displayName,
    locationType: (value.locationType as string | null | undefined) ?? 'default',
    uniqueId: (value.uniqueId as string | null | undefined) ?? displayName,
    uniqueIdType: (value.uniqueIdType as string | null | undefined) ?? 'private',
  };
}

function attendee(value: unknown, i: number): Attendee {
  const path = `attendees[${i}]`;
  if (!isObject(value)) throw mismatch(path);
  onlyKnown(
    value,
    ['type', 'emailAddress', 'status', 'proposedNewTime'],
    'Microsoft.OutlookServices.Attendee',
  );
  const email = value.emailAddress;
  if (email === undefined || email === null)
    throw errors.badRequest('Attendee email address is required.', 'ErrorInvalidRecipients');
  if (!isObject(email)) throw mismatch(`${path}.emailAddress`);
  onlyKnown(email, ['address', 'name'], 'Microsoft.OutlookServices.EmailAddress');
  const address =
    email.address === undefined ? null : string(email.address, `${path}.emailAddress.address`, true);
  if (!address) throw errors.badRequest('Attendee email address is required.', 'ErrorInvalidRecipients');
  if (!/^[^\s@]+@[^\s@]+$/.test(address))
    throw errors.badRequest(`The recipient '${address}' is not valid.`, 'ErrorInvalidRecipients');
  const name = email.name === undefined ? null : string(email.name, `${path}.emailAddress.name`, true);
  const type =
    value.type === undefined || value.type === null
      ? 'required'
      : member(value.type, ATTENDEE_TYPES, `${path}.type`);
  return {
    type,
    emailAddress: { name: name ?? address, address },
    status: { response: 'none', time: '0001-01-01T00:00:00Z' },
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a recurrence as the emulator can expand it. Returns what is wrong, or null: the Graph routes turn
 * it into a 400, the control surface into its own error.
 */
export function recurrenceProblem(value: unknown): string | null {
  if (!isObject(value)) return 'recurrence must be an object { pattern, range }';
  const { pattern, range } = value;
  if (!isObject(pattern)) return 'recurrence.pattern must be an object';
  if (!isObject(range)) return 'recurrence.range must be an object';
  if (!PATTERN_TYPES.includes(pattern.type as (typeof PATTERN_TYPES)[number]))
    return `recurrence.pattern.type '${String(pattern.type)}' is not supported by the emulator (daily or weekly)`;
  if (
    pattern.interval !== undefined &&
    !(Number.isInteger(pattern.interval) && (pattern.interval as number) >= 1)
  )
    return 'recurrence.pattern.interval must be a whole number from 1';
  if (pattern.daysOfWeek !== undefined) {
    if (!Array.isArray(pattern.daysOfWeek) || pattern.daysOfWeek.length === 0)
      return 'recurrence.pattern.daysOfWeek must be a non-empty array of weekdays';
    const bad = pattern.daysOfWeek.find((d) => typeof d !== 'string' || !WEEKDAYS.includes(d.toLowerCase()));
    if (bad !== undefined) return `recurrence.pattern.daysOfWeek: '${String(bad)}' is not a weekday`;
  } else if (pattern.type === 'weekly') {
    return 'recurrence.pattern.daysOfWeek is required for a weekly pattern';
  }
  if (
    pattern.firstDayOfWeek !== undefined &&
    (typeof pattern.firstDayOfWeek !== 'string' || !WEEKDAYS.includes(pattern.firstDayOfWeek.toLowerCase()))
  )
    return 'recurrence.pattern.firstDayOfWeek must be a weekday';
  if (!RANGE_TYPES.includes(range.type as (typeof RANGE_TYPES)[number]))
    return `recurrence.range.type '${String(range.type)}' must be endDate, noEnd or numbered`;
  if (
    typeof range.startDate !== 'string' ||
    !DATE.test(range.startDate) ||
    Number.isNaN(Date.parse(range.startDate))
  )
    return 'recurrence.range.startDate must be a date YYYY-MM-DD';
  if (range.type === 'endDate') {
    if (
      typeof range.endDate !== 'string' ||
      !DATE.test(range.endDate) ||
      Number.isNaN(Date.parse(range.endDate))
    )
      return 'recurrence.range.endDate must be a date YYYY-MM-DD';
    if (range.endDate < range.startDate) return 'recurrence.range.endDate must not be before its startDate';
  }
  if (
    range.type === 'numbered' &&
    !(Number.isInteger(range.numberOfOccurrences) && (range.numberOfOccurrences as number) >= 1)
  )
    return 'recurrence.range.numberOfOccurrences must be a whole number from 1';
  if (range.recurrenceTimeZone !== undefined && range.recurrenceTimeZone !== null) {
    if (typeof range.recurrenceTimeZone !== 'string' || !isKnownZone(range.recurrenceTimeZone))
      return `recurrence.range.recurrenceTimeZone '${String(range.recurrenceTimeZone)}' is not a known time zone`;
  }
  return null;
}

export interface EventInput {
  fields: Partial<EventRecord>;
  /** `isOnlineMeeting` as asked (the Teams meeting is attached by the route, licence permitting). */
  isOnlineMeeting?: boolean;
  transactionId?: string;
}

/**
 * The fields of a POST (`creating`: start and end required) or PATCH body. Throws a GraphError for the
 * first thing Graph would refuse; what it returns is always safe to store.
 */
export function parseEventInput(raw: unknown, creating: boolean): EventInput {
  if (raw === undefined || raw === null)
    throw errors.badRequest('Empty Payload. JSON content expected.', 'BadRequest');
  if (!isObject(raw)) throw mismatch('event');
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key) && !key.startsWith('@odata.') && !key.includes('@odata.'))
      throw unknownProperty(key, 'Microsoft.OutlookServices.Event');
  }
  const fields: Partial<EventRecord> = {};
  const out: EventInput = { fields };
  if (creating && (raw.start === undefined || raw.end === undefined))
    throw errors.badRequest('Start and End are required.', 'ErrorInvalidRequest');
  if (raw.start !== undefined) {
    const start = dateTimeTimeZone(raw.start, 'start');
    fields.startMs = start.ms;
    fields.originalStartTimeZone = start.zone;
  }
  if (raw.end !== undefined) {
    const end = dateTimeTimeZone(raw.end, 'end');
    fields.endMs = end.ms;
    fields.originalEndTimeZone = end.zone;
  }
  if (raw.subject !== undefined) fields.subject = string(raw.subject, 'subject', true) ?? '';
  if (raw.body !== undefined && raw.body !== null) fields.body = itemBody(raw.body);
  if (raw.isAllDay !== undefined) fields.isAllDay = boolean(raw.isAllDay, 'isAllDay');
  if (raw.showAs !== undefined) fields.showAs = member(raw.showAs, SHOW_AS, 'showAs');
  if (raw.sensitivity !== undefined) fields.sensitivity = member(raw.sensitivity, SENSITIVITY, 'sensitivity');
  if (raw.categories !== undefined) {
    if (!Array.isArray(raw.categories)) throw mismatch('categories');
    fields.categories = raw.categories.map((c, i) => string(c, `categories[${i}]`)!);
  }
  if (raw.location !== undefined && raw.location !== null) fields.location = location(raw.location);
  if (raw.attendees !== undefined && raw.attendees !== null) {
    if (!Array.isArray(raw.attendees)) throw mismatch('attendees');
    fields.attendees = raw.attendees.map(attendee);
  }
  if (raw.recurrence !== undefined && raw.recurrence !== null) {
    const problem = recurrenceProblem(raw.recurrence);
    if (problem) throw errors.badRequest(problem, 'ErrorInvalidRequest');
    fields.recurrence = raw.recurrence as unknown as Recurrence;
  }
  if (raw.isOnlineMeeting !== undefined)
    out.isOnlineMeeting = boolean(raw.isOnlineMeeting, 'isOnlineMeeting');
  if (raw.onlineMeetingProvider !== undefined)
    member(raw.onlineMeetingProvider, MEETING_PROVIDERS, 'onlineMeetingProvider');
  if (raw.importance !== undefined) member(raw.importance, IMPORTANCE, 'importance');
  for (const key of ['isReminderOn', 'responseRequested', 'allowNewTimeProposals', 'hideAttendees'])
    if (raw[key] !== undefined) boolean(raw[key], key);
  if (raw.reminderMinutesBeforeStart !== undefined && !Number.isInteger(raw.reminderMinutesBeforeStart))
    throw mismatch('reminderMinutesBeforeStart');
  if (raw.transactionId !== undefined && raw.transactionId !== null)
    out.transactionId = string(raw.transactionId, 'transactionId')!;
  return out;
}

/** The event as it would be after the change: an end before its start is refused, never stored. */
export function checkTimes(startMs: number, endMs: number): void {
  if (endMs < startMs)
    throw errors.badRequest('The end of the event must be after its start.', 'ErrorInvalidRequest');
}
