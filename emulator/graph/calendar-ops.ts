// Calendar writes shared by Graph's event endpoints and the control surface ("changed in Outlook"):
// Teams meetings for licensed organizers, attendee copies in emulated mailboxes, rooms answering through
// their calendar processing, cancellation on removal.
import type { AttendeeResponse, EmulatorState, EventRecord, User } from '../state.js';
import type { Notifier } from './notifier.js';
import { expandSeries, instancesBetween } from './calendar-model.js';

/** A recurring request is checked as Exchange's booking window does, over its first 180 days. */
const ROOM_HORIZON_MS = 180 * 24 * 3600_000;

export function calendarOps(state: EmulatorState, notifier: Notifier) {
  /** Teams links exist only for organizers with a Teams licence; otherwise the event is a plain one. */
  function attachTeamsMeeting(owner: User, event: EventRecord) {
    if (!owner.teamsLicence) {
      event.isOnlineMeeting = false;
      event.onlineMeetingProvider = 'unknown';
      event.joinUrl = undefined;
      return;
    }
    event.isOnlineMeeting = true;
    event.onlineMeetingProvider = 'teamsForBusiness';
    event.joinUrl = state.newJoinUrl();
    const block =
      `<div style="width:100%">________________________________________________________________________________</div>` +
      `<div class="me-email-text"><span style="font-size:24px">Microsoft Teams meeting</span></div>` +
      `<div><a href="${event.joinUrl}" id="meet_invite_block.action.join_link">Join the meeting now</a></div>`;
    event.body = { contentType: 'html', content: `${event.body.content}${block}` };
  }

  /**
   * Attendees who are mailboxes of the emulator get the meeting in their calendar. People get it at once;
   * rooms answer through their calendar processing a moment later (roomResponses).
   */
  function syncAttendeeCopies(event: EventRecord) {
    const copies = [...state.events.values()].filter((e) => e.organizerEventId === event.id);
    const wanted = new Map<string, User>();
    for (const a of event.attendees) {
      const u = state.findUser(a.emailAddress.address);
      if (u && u.id !== event.ownerId && u.tenantId === state.users.get(event.ownerId)?.tenantId)
        wanted.set(u.id, u);
    }
    for (const copy of copies) {
      if (!wanted.has(copy.ownerId)) removeCopy(copy);
    }
    const rooms: User[] = [];
    for (const [, u] of wanted) {
      if (u.kind === 'room') rooms.push(u);
      // A person who declined keeps the meeting out of their calendar until the organizer asks again.
      else if (!declined(event, u)) copyTo(event, u);
    }
    // Exchange's calendar processing runs after the request: Graph's answer shows the room as `none`.
    if (rooms.length > 0) setImmediate(() => roomResponses(event.id, rooms));
  }

  function declined(event: EventRecord, u: User): boolean {
    return event.attendees.some(
      (a) =>
        a.emailAddress.address.toLowerCase() === u.mail.toLowerCase() && a.status.response === 'declined',
    );
  }

  function removeCopy(copy: EventRecord) {
    state.events.delete(copy.id);
    void notifier.eventChanged(copy, 'deleted');
  }

  /** The attendee's copy of the meeting, made or brought up to date. */
  function copyTo(event: EventRecord, u: User) {
    const existing = [...state.events.values()].find(
      (e) => e.organizerEventId === event.id && e.ownerId === u.id,
    );
    const shared = {
      subject: event.subject,
      body: event.body,
      startMs: event.startMs,
      endMs: event.endMs,
      originalStartTimeZone: event.originalStartTimeZone,
      originalEndTimeZone: event.originalEndTimeZone,
      isAllDay: event.isAllDay,
      location: event.location,
      attendees: event.attendees,
      isOnlineMeeting: event.isOnlineMeeting,
      onlineMeetingProvider: event.onlineMeetingProvider,
      joinUrl: event.joinUrl,
      recurrence: event.recurrence,
      sensitivity: event.sensitivity,
    };
    if (existing) {
      Object.assign(existing, shared);
      state.touch(existing);
      void notifier.eventChanged(existing, 'updated');
    } else {
      const copy = state.newEvent(u, {
        ...shared,
        iCalUId: event.iCalUId,
        organizer: event.organizer,
        isOrganizer: false,
        showAs: u.kind === 'room' ? 'busy' : 'tentative',
        organizerEventId: event.id,
      });
      void notifier.eventChanged(copy, 'created');
    }
  }

  /**
   * Rooms answer the meeting as Exchange's calendar processing does: AutoAccept books a room that is free for
   * every instance (its own copy of this meeting aside) and declines one with a conflict; a `declineAll`
   * policy declines. A declined room keeps no copy. The organizer's event shows each answer in
   * `attendees[].status`; when one changed it is an update of that event (new change key, notification).
   */
  function roomResponses(eventId: string, rooms: User[]) {
    const event = state.events.get(eventId);
    if (!event || event.isCancelled) return;
    let changed = false;
    for (const room of rooms) {
      const attendee = event.attendees.find(
        (a) => a.emailAddress.address.toLowerCase() === room.mail.toLowerCase(),
      );
      if (!attendee) continue;
      const accept = (room.roomPolicy ?? 'autoAccept') === 'autoAccept' && !roomConflict(room, event);
      const copy = [...state.events.values()].find(
        (e) => e.organizerEventId === event.id && e.ownerId === room.id,
      );
      if (accept) copyTo(event, room);
      else if (copy) removeCopy(copy);
      const response = accept ? 'accepted' : 'declined';
      if (attendee.status.response !== response) {
        attendee.status = { response, time: state.nowIso() };
        changed = true;
      }
    }
    if (changed) {
      state.touch(event);
      void notifier.eventChanged(event, 'updated');
    }
  }

  /** Whether the room is taken (busy, tentative, away) during the meeting by anything but this meeting. */
  function roomConflict(room: User, event: EventRecord): boolean {
    const meetings = event.recurrence
      ? expandSeries(event, event.startMs, event.startMs + ROOM_HORIZON_MS)
      : [{ startMs: event.startMs, endMs: event.endMs }];
    return meetings.some((m) =>
      instancesBetween(state, room.id, m.startMs, m.endMs).some(
        (item) => item.organizerEventId !== event.id && item.id !== event.id && item.showAs !== 'free',
      ),
    );
  }

  /**
   * An attendee answers the meeting from their copy (event-accept.md, event-tentativelyaccept.md,
   * event-decline.md): with `sendResponse` (the default) the organizer's event shows the answer in that
   * attendee's `status.response` (an update of that event: new change key, notification). Declining removes
   * the meeting from the attendee's calendar, as Outlook does; accepting shows it busy, tentatively tentative.
   */
  function respond(copy: EventRecord, response: AttendeeResponse, sendResponse = true) {
    if (response === 'declined') {
      removeCopy(copy);
    } else {
      copy.showAs = response === 'accepted' ? 'busy' : 'tentative';
      copy.responseStatus = { response, time: state.nowIso() };
      state.touch(copy);
      void notifier.eventChanged(copy, 'updated');
    }
    const event = copy.organizerEventId ? state.events.get(copy.organizerEventId) : undefined;
    const owner = state.users.get(copy.ownerId);
    if (!sendResponse || !event || event.isCancelled || !owner) return;
    const attendee = event.attendees.find(
      (a) => a.emailAddress.address.toLowerCase() === owner.mail.toLowerCase(),
    );
    if (!attendee || attendee.status.response === response) return;
    attendee.status = { response, time: state.nowIso() };
    state.touch(event);
    void notifier.eventChanged(event, 'updated');
  }

  /** Removal by the organizer cancels the meeting for attendees (event-delete.md and event-cancel.md). */
  function removeEvent(event: EventRecord) {
    state.events.delete(event.id);
    void notifier.eventChanged(event, 'deleted');
    if (!event.isOrganizer) return;
    for (const copy of [...state.events.values()].filter((e) => e.organizerEventId === event.id)) {
      state.events.delete(copy.id);
      void notifier.eventChanged(copy, 'deleted');
    }
  }

  return { attachTeamsMeeting, syncAttendeeCopies, removeEvent, respond };
}
