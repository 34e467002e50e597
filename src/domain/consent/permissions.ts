// The Microsoft Graph permissions kailenty requests, each with the feature it serves. Nothing else is requested.
export interface Permission {
  scope: string;
  access: 'read' | 'write';
  purpose: string;
}

export const OPENID_PERMISSIONS: Permission[] = [
  { scope: 'openid', access: 'read', purpose: 'Sign the member in and identify the account (oid, tid).' },
  { scope: 'profile', access: 'read', purpose: "Show the account's name to the member who connects it." },
  {
    scope: 'offline_access',
    access: 'read',
    purpose: 'Keep the connection working without a new sign-in (refresh token).',
  },
];

export const GRAPH_PERMISSIONS: Permission[] = [
  {
    scope: 'User.Read',
    access: 'read',
    purpose: "Read the signed-in account's mail and user principal name to match it to the member.",
  },
  {
    scope: 'MailboxSettings.Read',
    access: 'read',
    purpose: "Read the mailbox time zone, the default for the member's availability.",
  },
  {
    scope: 'Calendars.ReadWrite',
    access: 'write',
    purpose:
      'Read free/busy (getSchedule, also for rooms and shared mailboxes), write bookings to the calendar with Teams links, reschedule and cancel them, and subscribe to calendar changes.',
  },
];

export const ALL_PERMISSIONS: Permission[] = [...OPENID_PERMISSIONS, ...GRAPH_PERMISSIONS];
export const GRAPH_SCOPES: string[] = GRAPH_PERMISSIONS.map((p) => p.scope);
