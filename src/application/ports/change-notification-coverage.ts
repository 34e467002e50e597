// Which members' calendars Graph change notifications currently cover.

/**
 * Which members have a live subscription: their cached free/busy may live long, the others' only briefly;
 * the member resource says which.
 */
export abstract class ChangeNotificationCoverage {
  abstract liveMembers(workspaceId: string, memberIds: string[], now: Date): Promise<Set<string>>;
}
