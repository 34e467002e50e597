// Calendar writes shared by Graph's event endpoints and the control surface ("changed in Outlook"):
// Teams meetings for licensed organizers, attendee copies in emulated mailboxes, cancellation on removal.
import type { EmulatorState, EventRecord, User } from '../state.js';
import type { Notifier } from './notifier.js';

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

  /** Attendees who are mailboxes of the emulator get the meeting in their calendar (rooms accept it). */
  function syncAttendeeCopies(event: EventRecord) {
    const copies = [...state.events.values()].filter((e) => e.organizerEventId === event.id);
    const wanted = new Map<string, User>();
    for (const a of event.attendees) {
      const u = state.findUser(a.emailAddress.address);
      if (u && u.id !== event.ownerId && u.tenantId === state.users.get(event.ownerId)?.tenantId)
        wanted.set(u.id, u);
    }
    for (const copy of copies) {
      if (!wanted.has(copy.ownerId)) {
        state.events.delete(copy.id);
        void notifier.eventChanged(copy, 'deleted');
      }
    }
    for (const [uid, u] of wanted) {
      const existing = copies.find((c) => c.ownerId === uid);
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
      // Rooms accept automatically, and the organizer's copy shows it.
      if (u.kind === 'room') {
        for (const a of event.attendees) {
          if (
            a.emailAddress.address.toLowerCase() === u.mail.toLowerCase() &&
            a.status.response !== 'accepted'
          ) {
            a.status = { response: 'accepted', time: state.nowIso() };
          }
        }
      }
    }
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

  return { attachTeamsMeeting, syncAttendeeCopies, removeEvent };
}
