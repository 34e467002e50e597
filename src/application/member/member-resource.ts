// The member as API.md shows it (the HTTP responses and the connection.revoked webhook use this one shape).
import type { Member } from '@domain/member/member.js';
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';

export interface MicrosoftConnectionResource {
  connection: 'not_connected' | 'connected' | 'reauthorization_required' | 'revoked';
  userId: string | null;
  tenantId: string | null;
  timeZone: string | null;
  teamsEnabled: boolean | null;
  connectedAt: string | null;
  lastSignInAt: string | null;
  reconnectUrl?: string;
  /** What kailenty could not use as Microsoft gave it (absent when nothing). */
  warnings?: ConnectionWarning[];
  /** Whether Outlook changes reach us by Graph notifications (else free/busy is re-read more often). */
  changeNotifications?: 'active' | 'unavailable';
}

/** The mailbox's zone has no IANA equivalent (a custom zone): `timeZone` is null and availability uses UTC. */
export interface ConnectionWarning {
  code: 'TIME_ZONE_UNMAPPED';
  windowsTimeZone: string;
}

export interface MemberResource {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
  microsoft: MicrosoftConnectionResource;
  createdAt: string;
  updatedAt: string;
}

export function connectionResource(
  connection: MicrosoftConnection | null,
  reconnectUrl?: string | null,
): MicrosoftConnectionResource {
  if (!connection) {
    return {
      connection: 'not_connected',
      userId: null,
      tenantId: null,
      timeZone: null,
      teamsEnabled: null,
      connectedAt: null,
      lastSignInAt: null,
    };
  }
  const s = connection.toSnapshot();
  const resource: MicrosoftConnectionResource = {
    connection: s.status,
    userId: s.userId,
    tenantId: s.tenantId,
    timeZone: s.timeZone,
    teamsEnabled: s.teamsEnabled,
    connectedAt: s.connectedAt.toISOString(),
    lastSignInAt: s.lastSignInAt.toISOString(),
  };
  if (s.status !== 'connected' && reconnectUrl) resource.reconnectUrl = reconnectUrl;
  if (connection.timeZoneUnmapped && s.windowsTimeZone !== null) {
    resource.warnings = [{ code: 'TIME_ZONE_UNMAPPED', windowsTimeZone: s.windowsTimeZone }];
  }
  return resource;
}

export function memberResource(member: Member, microsoft: MicrosoftConnectionResource): MemberResource {
  const s = member.toSnapshot();
  return {
    id: s.id,
    email: s.email,
    displayName: s.displayName,
    role: s.role,
    status: s.status,
    microsoft,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
