// A version counter per member's calendar, shared by every service instance.

/**
 * A counter per member that goes up whenever their calendar is known to have changed (a change
 * notification, a booking written). Cached free/busy is valid only for the version it was read at, so
 * every service instance sees an invalidation at once.
 */
export abstract class CalendarVersions {
  abstract current(workspaceId: string, memberIds: string[]): Promise<Map<string, number>>;
  abstract bump(workspaceId: string, memberId: string): Promise<void>;
}
